package io.bulwark.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Installs {@link RecordingLeakDetector} when the test JVM's launcher session opens, before Netty loads. */
public final class LeakDetectionSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        RecordingLeakDetector.install();
    }
}
