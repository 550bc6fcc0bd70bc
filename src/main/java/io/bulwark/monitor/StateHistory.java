package io.bulwark.monitor;

import java.util.Arrays;

/**
 * The last 21 recorded results of one check and their weighted percent state change, Nagios's measure of
 * flapping.
 *
 * <p>The 20 places between consecutive results are weighted linearly from 0.75 (the oldest) to 1.25 (the newest),
 * as Nagios Core weighs a service's ({@code base/flapping.c}), so that recent changes count more; the weights add
 * up to 20, which makes the weighted sum of the changes over 20 a percent of the most changes there can be: 0 for
 * 21 equal results, 100 for 21 alternating ones.
 */
final class StateHistory {
    static final int RESULTS = 21;
    private static final int PLACES = RESULTS - 1;
    private static final double OLDEST_WEIGHT = 0.75;
    private static final double NEWEST_WEIGHT = 1.25;

    // Nagios starts a service's history as all OK, so its first problems already count as changes.
    private final Status[] results = new Status[RESULTS];
    private int oldest;

    StateHistory() {
        Arrays.fill(results, Status.OK);
    }

    /** Adds a result, dropping the oldest, and returns the new percent state change. */
    double add(Status result) {
        results[oldest] = result;
        oldest = (oldest + 1) % RESULTS;
        return percentStateChange();
    }

    /** The weighted state changes as a percent of the most there can be, 0..100. */
    double percentStateChange() {
        double weighted = 0.0;
        for (int place = 1; place <= PLACES; place++) {
            if (at(place) != at(place - 1)) {
                weighted += weight(place);
            }
        }
        return weighted * 100.0 / PLACES;
    }

    /** The i-th result, 0 the oldest. */
    private Status at(int i) {
        return results[(oldest + i) % RESULTS];
    }

    /** The weight of a change between results {@code place - 1} and {@code place}: 0.75 at 1 .. 1.25 at 20. */
    private static double weight(int place) {
        return OLDEST_WEIGHT + (place - 1) * (NEWEST_WEIGHT - OLDEST_WEIGHT) / (PLACES - 1);
    }
}
