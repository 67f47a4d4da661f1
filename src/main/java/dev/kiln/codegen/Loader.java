package dev.kiln.codegen;

import java.lang.invoke.MethodHandles;

/**
 * Defines generated classes as hidden classes, so each is unloaded once nothing refers to it. A class
 * implementing a user's interface is defined in that interface's package when Kiln may (so a
 * package-private interface works); otherwise in Kiln's own.
 */
public final class Loader {
    private Loader() {}

    /** The lookup to define a class implementing {@code iface} (null: none) in. */
    public static MethodHandles.Lookup lookupFor(Class<?> iface) {
        MethodHandles.Lookup own = MethodHandles.lookup();
        if (iface == null) {
            return own;
        }
        try {
            MethodHandles.Lookup there = MethodHandles.privateLookupIn(iface, own);
            if (there.hasFullPrivilegeAccess()) {
                return there;
            }
        } catch (IllegalAccessException | SecurityException e) {
            // fall through: a public interface can be implemented from Kiln's package
        }
        if (!java.lang.reflect.Modifier.isPublic(iface.getModifiers())) {
            throw new dev.kiln.ir.KilnException("cannot implement " + iface.getName()
                    + ": make it public, or open its package to Kiln");
        }
        return own;
    }

    /** The binary name a class defined in {@code lookup} may have: its package plus {@code simpleName}. */
    public static String internalName(MethodHandles.Lookup lookup, String simpleName) {
        String pkg = lookup.lookupClass().getPackageName();
        return (pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/") + simpleName;
    }

    /** Defines {@code bytes} and constructs it with {@code arrays}. */
    public static CompiledModel instantiate(MethodHandles.Lookup lookup, byte[] bytes, float[][] arrays) {
        try {
            Class<?> c = lookup.defineHiddenClass(bytes, true).lookupClass();
            return (CompiledModel) c.getConstructor(float[][].class).newInstance((Object) arrays);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not load the generated class:\n" + Listing.of(bytes), e);
        } catch (LinkageError e) {
            throw new IllegalStateException("the generated class does not verify: " + e + "\n" + Listing.of(bytes), e);
        }
    }
}
