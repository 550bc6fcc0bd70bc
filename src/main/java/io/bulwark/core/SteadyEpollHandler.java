package io.bulwark.core;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoOps;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;

/**
 * Netty's epoll handler, except that a channel with no events wanted stays in epoll's interest list.
 *
 * <p>Netty 4.2.18 removes such a channel from the list (EPOLL_CTL_DEL, netty/netty#16689) but still takes it
 * for registered, so its next change of interest (EPOLL_CTL_MOD) fails with ENOENT and the channel closes.
 * That happens to every client that half-closes: once its end of input is read, Netty wants neither reads nor
 * the half-close, so the next read asked for, or a write that must wait for room, fails and the client gets
 * no answer or a cut one. Here "no events" is registered as edge-triggered
 * nothing instead: the channel stays listed, and the hang-up and error events epoll always reports come at
 * most once each rather than on every wait, which is what the removal was meant to prevent. The proxy tests
 * run on epoll too (pom.xml), where {@code HalfCloseTest} fails without this.
 */
final class SteadyEpollHandler implements IoHandler {
    private static final IoOps NOTHING = EpollIoOps.EPOLLET;

    private final IoHandler epoll;

    private SteadyEpollHandler(IoHandler epoll) {
        this.epoll = epoll;
    }

    /** A factory of epoll handlers that keep their channels listed. */
    static IoHandlerFactory newFactory() {
        IoHandlerFactory epoll = EpollIoHandler.newFactory();
        return executor -> new SteadyEpollHandler(epoll.newHandler(executor));
    }

    @Override
    public void initialize() {
        epoll.initialize();
    }

    @Override
    public int run(IoHandlerContext context) {
        return epoll.run(context);
    }

    @Override
    public void prepareToDestroy() {
        epoll.prepareToDestroy();
    }

    @Override
    public void destroy() {
        epoll.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return new Registration(epoll.register(handle));
    }

    @Override
    public void wakeup() {
        epoll.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return epoll.isCompatible(handleType);
    }

    private record Registration(IoRegistration epoll) implements IoRegistration {
        @Override
        public <T> T attachment() {
            return epoll.attachment();
        }

        @Override
        public long submit(IoOps ops) {
            return epoll.submit(((EpollIoOps) ops).value() == 0 ? NOTHING : ops);
        }

        @Override
        public boolean isValid() {
            return epoll.isValid();
        }

        @Override
        public boolean cancel() {
            return epoll.cancel();
        }
    }
}
