package dev.kiln.codegen;

import java.lang.reflect.Method;

/**
 * The user's method the generated class implements, e.g. {@code float run(float[] x, float[] y)}:
 * {@code feedOfParam[i]} is the feed (index in the plan's feeds) parameter i supplies, and the result
 * is the first fetch: its only element for {@code float}, its array for {@code float[]}, nothing for
 * {@code void}.
 */
public record EntryPoint(Class<?> iface, Method method, int[] feedOfParam) {}
