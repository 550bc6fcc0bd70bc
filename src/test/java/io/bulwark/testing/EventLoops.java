package io.bulwark.testing;

import io.bulwark.core.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's event loops, made before its first test and shut down after its last:
 * {@code @RegisterExtension static final EventLoops loops = new EventLoops(2);} then {@code loops.group()}.
 */
public final class EventLoops implements BeforeAllCallback, AfterAllCallback {
    private final int threads;
    private EventLoopGroup group;

    public EventLoops(int threads) {
        this.threads = threads;
    }

    /** The group, on the transport production would use. */
    public EventLoopGroup group() {
        return group;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        group = Transport.best().newGroup(threads, "test-" + context.getRequiredTestClass().getSimpleName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
