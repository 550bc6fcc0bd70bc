package io.bulwark.proxy;

/**
 * Caps retries at a share of requests over a sliding 10 s window, plus a floor per second, as Finagle and
 * Linkerd do: when every server fails, retries would otherwise multiply the load on them. One instance per
 * retry block and event loop, touched only by that loop, so no synchronisation; the cap therefore holds per
 * loop, and the floor is per loop too.
 */
final class RetryBudget {
    private static final int BUCKETS = 10;
    private static final long BUCKET_NANOS = 1_000_000_000L;

    private final int percent;
    private final long floor;
    private final int[] requests = new int[BUCKETS];
    private final int[] retries = new int[BUCKETS];
    private long currentBucket = Long.MIN_VALUE;
    private long windowRequests;
    private long windowRetries;

    RetryBudget(int percent, int minPerSecond) {
        this.percent = percent;
        this.floor = (long) minPerSecond * BUCKETS;
    }

    /** Counts a first attempt. */
    void request(long nowNanos) {
        advance(nowNanos);
        requests[slot(currentBucket)]++;
        windowRequests++;
    }

    /** Whether a retry is allowed now; does not spend it. */
    boolean allows(long nowNanos) {
        advance(nowNanos);
        return windowRetries < floor + windowRequests * percent / 100;
    }

    /** Counts a retry made. */
    void spend(long nowNanos) {
        advance(nowNanos);
        retries[slot(currentBucket)]++;
        windowRetries++;
    }

    private void advance(long nowNanos) {
        long bucket = Math.floorDiv(nowNanos, BUCKET_NANOS);
        if (bucket == currentBucket) {
            return;
        }
        long stale = currentBucket == Long.MIN_VALUE ? BUCKETS : Math.min(BUCKETS, bucket - currentBucket);
        for (long b = bucket - stale + 1; b <= bucket; b++) {
            int s = slot(b);
            windowRequests -= requests[s];
            windowRetries -= retries[s];
            requests[s] = 0;
            retries[s] = 0;
        }
        currentBucket = bucket;
    }

    private static int slot(long bucket) {
        return (int) Math.floorMod(bucket, (long) BUCKETS);
    }
}
