package dev.kiln.plan;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scratch buffers free for reuse, by size: {@link #take} is the best fit (the smallest at least as
 * large as asked; of equal ones, the one freed first), in logarithmic time however many there are.
 */
final class FreeBuffers {
    private final TreeMap<Integer, ArrayDeque<Buffer>> bySize = new TreeMap<>();

    void add(Buffer b) {
        bySize.computeIfAbsent(b.size(), k -> new ArrayDeque<>()).addLast(b);
    }

    /** The best-fitting free buffer of at least {@code size} floats, no longer free; null when there is none. */
    Buffer take(int size) {
        Map.Entry<Integer, ArrayDeque<Buffer>> e = bySize.ceilingEntry(size);
        if (e == null) {
            return null;
        }
        Buffer b = e.getValue().pollFirst();
        if (e.getValue().isEmpty()) {
            bySize.remove(e.getKey());
        }
        return b;
    }
}
