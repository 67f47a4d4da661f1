package dev.kiln.codegen;

import dev.kiln.runtime.CompiledModel;
import dev.kiln.runtime.WorkerPool;
import java.lang.invoke.MethodHandles;

/**
 * Loads generated classes so that each can be unloaded once nothing refers to it, and so that its frames
 * (which carry the model file and line) appear in stack traces.
 *
 * <p>Normally each class gets a class loader of its own, whose parent sees both Kiln and the user's
 * interface; the class and its loader are collected together. A hidden class
 * ({@code Lookup.defineHiddenClass}) would unload as well, but the JVM leaves hidden classes' frames out
 * of stack traces (unless run with {@code -XX:+ShowHiddenFrames}), which would hide
 * {@code two_layer.kiln:14}. Only when the user's interface is not public, so that the class must live
 * in the interface's own package and loader, is it defined as a hidden class there.
 */
public final class Loader {
    /** The package of classes that get their own loader. */
    static final String PACKAGE = "dev/kiln/generated/";

    private Loader() {}

    /** Where to define a class implementing {@code iface} (null: none). */
    public static MethodHandles.Lookup lookupFor(Class<?> iface) {
        MethodHandles.Lookup own = MethodHandles.lookup();
        if (iface == null || java.lang.reflect.Modifier.isPublic(iface.getModifiers()) && visible(iface)) {
            return own;
        }
        try {
            MethodHandles.Lookup there = MethodHandles.privateLookupIn(iface, own);
            if (there.hasFullPrivilegeAccess()) {
                return there;
            }
        } catch (IllegalAccessException | SecurityException e) {
            // reported below
        }
        throw new dev.kiln.ir.KilnException("cannot implement " + iface.getName()
                + ": make it public, or open its package to Kiln");
    }

    /** The binary name a class defined through {@code lookup} gets: {@code simpleName} in the right package. */
    public static String internalName(MethodHandles.Lookup lookup, String simpleName) {
        if (lookup.lookupClass() == Loader.class) {
            return PACKAGE + simpleName;
        }
        String pkg = lookup.lookupClass().getPackageName();
        return (pkg.isEmpty() ? "" : pkg.replace('.', '/') + "/") + simpleName;
    }

    /** Defines {@code bytes}: in a loader of its own, or as a hidden class in the lookup's package. */
    public static Class<?> define(MethodHandles.Lookup lookup, byte[] bytes, Class<?> iface) {
        try {
            if (lookup.lookupClass() == Loader.class) {
                return new ModelLoader(parentFor(iface)).define(bytes);
            }
            return lookup.defineHiddenClass(bytes, true).lookupClass();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("could not define the generated class", e);
        } catch (LinkageError e) {
            throw new IllegalStateException("the generated class does not verify: " + e + "\n" + Listing.of(bytes), e);
        }
    }

    /** Defines {@code bytes} and constructs it with {@code arrays} (and {@code pool}, when it shares rows). */
    public static CompiledModel instantiate(MethodHandles.Lookup lookup, byte[] bytes, float[][] arrays, Class<?> iface,
            WorkerPool pool) {
        Class<?> c = define(lookup, bytes, iface);
        try {
            if (pool != null) {
                return (CompiledModel) c.getConstructor(float[][].class, WorkerPool.class).newInstance(arrays, pool);
            }
            return (CompiledModel) c.getConstructor(float[][].class).newInstance((Object) arrays);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("could not construct the generated class:\n" + Listing.of(bytes), e);
        }
    }

    private static boolean visible(Class<?> iface) {
        return sees(iface.getClassLoader(), CompiledModel.class) || sees(Loader.class.getClassLoader(), iface);
    }

    /** A loader that sees both Kiln and {@code iface}. */
    private static ClassLoader parentFor(Class<?> iface) {
        if (iface != null && sees(iface.getClassLoader(), CompiledModel.class)) {
            return iface.getClassLoader();
        }
        return Loader.class.getClassLoader();
    }

    private static boolean sees(ClassLoader loader, Class<?> c) {
        try {
            return Class.forName(c.getName(), false, loader) == c;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A loader for exactly one generated class. */
    private static final class ModelLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        ModelLoader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(byte[] bytes) {
            return defineClass(null, bytes, 0, bytes.length);
        }
    }
}
