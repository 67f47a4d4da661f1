package dev.kiln;
import org.junit.jupiter.api.Test;
class SmokeTest { @Test void ok() {} }
