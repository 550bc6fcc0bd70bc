package io.bulwark.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The in-memory ring: numbered, bounded, readable while any number of threads record into it. */
class EventJournalTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static List<Long> numbers(List<EventJournal.Entry> entries) {
        return entries.stream().map(e -> ((TestEvent) e.event()).n()).toList();
    }

    @Test
    void eventsAreNumberedFromOneAndReadBackInOrder() {
        EventJournal journal = new EventJournal(10);
        for (long n = 1; n <= 4; n++) {
            assertThat(journal.record(new TestEvent(n * 100))).isEqualTo(n);
        }
        assertThat(journal.lastSequence()).isEqualTo(4);
        assertThat(numbers(journal.since(0, 100))).containsExactly(100L, 200L, 300L, 400L);
        assertThat(journal.since(2, 100)).extracting(EventJournal.Entry::sequence).containsExactly(3L, 4L);
        assertThat(numbers(journal.since(0, 2))).as("the oldest first").containsExactly(100L, 200L);
        assertThat(numbers(journal.recent(2))).containsExactly(300L, 400L);
        assertThat(journal.since(4, 100)).isEmpty();
    }

    @Test
    void theOldestFallOutAndTheGapShowsInTheNumbers() {
        EventJournal journal = new EventJournal(3);
        for (long n = 1; n <= 7; n++) {
            journal.record(new TestEvent(n));
        }
        assertThat(journal.since(0, 100)).extracting(EventJournal.Entry::sequence).containsExactly(5L, 6L, 7L);
        assertThat(numbers(journal.since(0, 100))).containsExactly(5L, 6L, 7L);
        assertThat(numbers(journal.recent(10))).containsExactly(5L, 6L, 7L);
    }

    @Test
    void recordingAllocatesNothing() {
        EventJournal journal = new EventJournal(1024);
        Event e = new TestEvent(1);
        for (int i = 0; i < 50_000; i++) {
            journal.record(e); // let the JIT settle
        }
        long before = THREADS.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 200_000; i++) {
            journal.record(e);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        // Slack for the measurement itself; an allocating record would cost megabytes here.
        assertThat(allocated).isLessThan(4_096);
    }

    @Test
    void readersSeeOnlyWholeEntriesWhileFourThreadsRecord() throws Exception {
        EventJournal journal = new EventJournal(64);
        int threads = 4;
        int each = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    journal.record(new TestEvent(thread * 1_000_000_000L + i));
                }
            }));
        }
        go.countDown();
        long reads = 0;
        while (writers.stream().anyMatch(Thread::isAlive) && reads < 1_000_000) {
            List<EventJournal.Entry> seen = journal.recent(64);
            // An event paired with another's number would show as one thread's events out of order.
            long[] lastOfThread = {-1, -1, -1, -1};
            for (int i = 0; i < seen.size(); i++) {
                assertThat(i == 0 || seen.get(i).sequence() > seen.get(i - 1).sequence()).isTrue();
                long n = ((TestEvent) seen.get(i).event()).n();
                int t = (int) (n / 1_000_000_000L);
                assertThat(n).isGreaterThan(lastOfThread[t]);
                lastOfThread[t] = n;
            }
            reads++;
        }
        for (Thread w : writers) {
            w.join();
        }
        assertThat(journal.lastSequence()).isEqualTo((long) threads * each);
        assertThat(journal.recent(1000)).hasSize(64)
                .extracting(EventJournal.Entry::sequence).first().isEqualTo((long) threads * each - 63);
    }

    @Test
    void aRingNeedsRoom() {
        assertThatThrownBy(() -> new EventJournal(0)).hasMessage("capacity: 0 (expected: at least 1)");
    }
}
