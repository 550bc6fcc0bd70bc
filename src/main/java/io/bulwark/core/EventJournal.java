package io.bulwark.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * The last events, numbered in the order they were recorded: what the API and the dashboard show, and what
 * the alarms catch up from. A bounded ring that any thread records into without a lock and without
 * allocating, the event loops included; the oldest events fall out. Readers copy out what they ask for, and
 * skip a slot that a writer is refilling under them rather than wait for it.
 */
public final class EventJournal implements Consumer<Event> {
    /** How many events the ring keeps unless the config says otherwise. */
    public static final int DEFAULT_CAPACITY = 10_000;

    /** An event and its number in the journal, from 1 up. */
    public record Entry(long sequence, Event event) {}

    private final int capacity;
    private final AtomicReferenceArray<Event> events;
    // Each slot's sequence number, or -1 while a writer refills it: a reader trusts an event only when the
    // slot shows the same sequence before and after reading it.
    private final AtomicLongArray sequences;
    private final AtomicLong last = new AtomicLong();

    public EventJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: at least 1)");
        }
        this.capacity = capacity;
        this.events = new AtomicReferenceArray<>(capacity);
        this.sequences = new AtomicLongArray(capacity);
    }

    /** Records the event; returns its sequence number. */
    public long record(Event event) {
        long seq = last.incrementAndGet();
        int slot = (int) ((seq - 1) % capacity);
        sequences.set(slot, -1);
        events.set(slot, event);
        sequences.set(slot, seq);
        return seq;
    }

    @Override
    public void accept(Event event) {
        record(event);
    }

    /** The sequence number of the newest event, 0 before the first. */
    public long lastSequence() {
        return last.get();
    }

    /** How many events the ring holds at most. */
    public int capacity() {
        return capacity;
    }

    /**
     * The events after {@code sequence}, oldest first, at most {@code max} of them (the oldest ones when there
     * are more). Events that already fell out of the ring are missing: a caller that sees the first number
     * above {@code sequence + 1} knows how many it lost.
     */
    public List<Entry> since(long sequence, int max) {
        long newest = last.get();
        long from = Math.max(Math.max(sequence, 0) + 1, newest - capacity + 1);
        long to = Math.min(newest, from + Math.max(0, max) - 1);
        List<Entry> out = new ArrayList<>((int) Math.max(0, to - from + 1));
        for (long seq = from; seq <= to; seq++) {
            int slot = (int) ((seq - 1) % capacity);
            if (sequences.get(slot) != seq) {
                continue;
            }
            Event e = events.get(slot);
            if (sequences.get(slot) == seq) {
                out.add(new Entry(seq, e));
            }
        }
        return out;
    }

    /** The newest {@code max} events, oldest first. */
    public List<Entry> recent(int max) {
        return since(last.get() - Math.max(0, max), max);
    }
}
