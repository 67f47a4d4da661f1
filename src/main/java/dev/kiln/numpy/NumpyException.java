package dev.kiln.numpy;

/**
 * An error NumPy would raise, with NumPy's one-line message ({@code operands could not be broadcast together
 * with shapes (3,) (4,) }), the Python exception type it raises ({@code ValueError}) and, when the error is
 * about one argument of a call, that argument's name.
 */
public final class NumpyException extends RuntimeException {
    private final String pythonType;
    private final String argument;

    /** A {@code ValueError} about no argument in particular. */
    public NumpyException(String message) {
        this("ValueError", message, null);
    }

    /** An error of Python type {@code pythonType} ({@code "TypeError"}), about {@code argument} (or null). */
    public NumpyException(String pythonType, String message, String argument) {
        super(message);
        this.pythonType = pythonType;
        this.argument = argument;
    }

    static NumpyException type(String message) {
        return new NumpyException("TypeError", message, null);
    }

    static NumpyException index(String message) {
        return new NumpyException("IndexError", message, null);
    }

    /** The keyword or positional argument's name the error is about, or null. */
    public String argument() {
        return argument;
    }

    /** The exception NumPy raises: {@code ValueError}, {@code TypeError}, {@code IndexError}, ... */
    public String pythonType() {
        return pythonType;
    }
}
