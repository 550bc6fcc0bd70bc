package io.bulwark.proxy;

import io.bulwark.config.AccessLogConfig;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes access log lines on a thread of its own, so event loops only enqueue a record. When the writer
 * falls behind by more than {@link #MAX_PENDING} records, new ones are dropped and counted rather than
 * letting memory grow or an event loop wait on a disk.
 */
public final class AccessLogWriter implements AccessLog {
    static final int MAX_PENDING = 65_536;
    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);

    private final Queue<AccessRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AccessLogFormat format;
    private final Writer out;
    private final boolean closeOut;
    private final Thread thread;
    private volatile boolean closing;

    private AccessLogWriter(AccessLogFormat format, OutputStream stream, boolean closeOut) {
        this.format = format;
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024);
        this.closeOut = closeOut;
        this.thread = Thread.ofPlatform().daemon().name("bulwark-access-log").start(this::drainLoop);
    }

    /** The access log the config asks for: off, stdout, or a file opened for appending. */
    public static AccessLog open(AccessLogConfig config) throws IOException {
        if (config.format() == AccessLogConfig.Format.OFF) {
            return AccessLog.off();
        }
        AccessLogFormat format = config.format() == AccessLogConfig.Format.JSON ? AccessLogFormat.JSON : AccessLogFormat.COMBINED;
        if ("stdout".equals(config.path())) {
            return new AccessLogWriter(format, System.out, false);
        }
        return new AccessLogWriter(format, new FileOutputStream(config.path(), true), true);
    }

    /** A writer to any stream, for tests and embedding. */
    public static AccessLogWriter to(OutputStream stream, AccessLogFormat format) {
        return new AccessLogWriter(format, stream, false);
    }

    @Override
    public void log(AccessRecord record) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(record);
        LockSupport.unpark(thread);
    }

    /** Records not written because the writer was too far behind. */
    public long dropped() {
        return dropped.get();
    }

    private void drainLoop() {
        StringBuilder line = new StringBuilder(512);
        while (true) {
            AccessRecord r = queue.poll();
            if (r == null) {
                flush();
                if (closing && queue.isEmpty()) {
                    return;
                }
                LockSupport.parkNanos(50_000_000L);
                continue;
            }
            pending.decrementAndGet();
            line.setLength(0);
            format.append(r, line);
            line.append('\n');
            try {
                out.append(line);
            } catch (IOException e) {
                log.warn("access log write failed: {}", e.toString());
            }
        }
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            log.warn("access log flush failed: {}", e.toString());
        }
    }

    /** Writes what is queued, then stops the writer thread. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closeOut) {
            try {
                out.close();
            } catch (IOException e) {
                log.warn("access log close failed: {}", e.toString());
            }
        }
    }
}
