package dev.kiln.runtime;

/** What a dispatcher asks for when a feed's length changes: the instance compiled for that batch size. */
public interface Specializations {
    /** The instance (implementing the user's interface) for the batch size {@code keyFeed}'s length implies. */
    Object forFeed(float[] keyFeed);
}
