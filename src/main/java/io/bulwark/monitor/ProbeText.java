package io.bulwark.monitor;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/** The wording and number formats the built-in probes share, so their lines read like the Nagios plugins'. */
final class ProbeText {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ProbeText() {
    }

    /** A result whose first line is {@code NAME STATUS - details}, the plugins' shape. */
    static CheckResult result(String name, Status status, String details, PerfDatum... perfData) {
        return CheckResult.of(status, name + " " + status + " - " + details, perfData);
    }

    /** A performance data item carrying the levels it was judged against. */
    static PerfDatum datum(String label, double value, String unit, Levels levels, Double min, Double max) {
        return new PerfDatum(label, value, unit, emptyToNull(levels.warningText()),
                emptyToNull(levels.criticalText()), min, max);
    }

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * {@code value} rounded to {@code scale} decimals the way C's printf rounds it (the exact binary value, ties to
     * even), so "%.2f" of 0.955 is 0.95 here as in the plugins, not the 0.96 Java's formatter would print.
     */
    static String decimal(double value, int scale) {
        return new BigDecimal(value).setScale(scale, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** {@code value} rounded as {@link #decimal} prints it; probes judge this, so text and status agree. */
    static double rounded(double value, int scale) {
        return Double.parseDouble(decimal(value, scale));
    }

    /** A size in binary units with one decimal, as {@code 3.2 GiB}; below a KiB in bytes. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return decimal(value, 1) + " " + UNITS[unit];
    }

    /**
     * Why an operation failed, in strerror's words where Java hides them behind an exception type (a
     * NoSuchFileException's message is only the path), else the exception's own message.
     */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null && !(t instanceof ConnectException)) {
            t = t.getCause();
        }
        return switch (t) {
            case FileSystemException x when x.getReason() != null -> x.getReason();
            case NoSuchFileException x -> "No such file or directory";
            case AccessDeniedException x -> "Permission denied";
            // Its message would only repeat the path the caller already names.
            case FileSystemException x -> x.getClass().getSimpleName();
            case UnknownHostException x -> "unknown host";
            // HttpClient reports a refused connect as a ConnectException without a message.
            case ConnectException x when x.getMessage() == null
                    || x.getMessage().toLowerCase(Locale.ROOT).contains("refused") -> "connection refused";
            case NoRouteToHostException x -> "no route to host";
            case SocketTimeoutException x -> "timed out";
            case HttpTimeoutException x -> "timed out";
            default -> t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        };
    }
}
