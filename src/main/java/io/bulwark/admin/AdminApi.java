package io.bulwark.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bulwark.admin.ServerControl.Action;
import io.bulwark.admin.ServerControl.Outcome;
import io.bulwark.admin.ServerControl.ServerStatus;
import io.bulwark.admin.ServerControl.UpstreamStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The admin API under {@code /api/}, in JSON: upstreams and their servers, with the operator's commands on a
 * server ({@code POST /api/upstreams/NAME/servers/ADDRESS/enable|ready|drain|maint}); and the VRRP instances,
 * with manual fail-back ({@code POST /api/vrrp/NAME/release}).
 *
 * <p>Who may use it: with {@code admin.token} set, every call presents it as a bearer token. Without one,
 * anyone who reaches the listener may read, and may change things only when the listener is on loopback,
 * so binding the admin port to a public address does not hand out control by accident. A change that
 * comes from a web page of another origin (a browser sends {@code Origin}) is refused, and on loopback
 * without a token only requests addressed to a loopback name are answered, so neither a page the operator
 * happens to open nor one that re-points its name at 127.0.0.1 can drive the loopback API.
 */
final class AdminApi {
    static final String PREFIX = "/api/";
    private static final JsonFactory JSON = new JsonFactory();

    private final ServerControl servers;
    private final VrrpControl vrrp;
    private final byte[] token;
    private final boolean loopbackOnly;

    /**
     * @param token the bearer token every call must present, or empty for none
     * @param loopbackOnly whether the listener is reachable from this host only
     */
    AdminApi(ServerControl servers, VrrpControl vrrp, Optional<String> token, boolean loopbackOnly) {
        this.servers = servers;
        this.vrrp = vrrp;
        this.token = token.map(t -> t.getBytes(StandardCharsets.US_ASCII)).orElse(null);
        this.loopbackOnly = loopbackOnly;
    }

    /** Answers a request whose path starts with {@link #PREFIX}; {@code peer} names the caller for the log. */
    FullHttpResponse answer(FullHttpRequest req, String peer) {
        if (token != null && !presentsToken(req)) {
            FullHttpResponse r = error(HttpResponseStatus.UNAUTHORIZED, "this API needs the admin token");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            return r;
        }
        if (token == null && loopbackOnly && !namesLoopback(req.headers().get(HttpHeaderNames.HOST))) {
            // A page whose name an attacker re-points at 127.0.0.1 (DNS rebinding) passes the origin check,
            // but its requests still carry that name: loopback alone vouches only for local names.
            return error(HttpResponseStatus.FORBIDDEN, "refused: Host is not a loopback name (use 127.0.0.1, [::1] or"
                    + " localhost, or set admin.token)");
        }
        List<String> path;
        try {
            path = segments(req.uri());
        } catch (IllegalArgumentException e) { // a malformed %-escape
            return error(HttpResponseStatus.BAD_REQUEST, "bad path: " + e.getMessage());
        }
        boolean read = req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD;
        String caller = "admin API from " + peer;
        // upstreams | upstreams/NAME | upstreams/NAME/servers/ADDRESS/ACTION | vrrp | vrrp/NAME/release
        int n = path.size();
        String top = n == 0 ? "" : path.getFirst();
        boolean listing = top.equals("upstreams") && n <= 2 || top.equals("vrrp") && n == 1;
        boolean command = top.equals("upstreams") && n == 5 && path.get(2).equals("servers")
                || top.equals("vrrp") && n == 3;
        if (listing) {
            return read ? (top.equals("vrrp") ? instances() : upstreams(n == 2 ? path.get(1) : null)) : notAllowed("GET, HEAD");
        }
        if (!command) {
            return error(HttpResponseStatus.NOT_FOUND, "no such API path (see GET /api/upstreams, GET /api/vrrp)");
        }
        if (req.method() != HttpMethod.POST) {
            return notAllowed("POST");
        }
        String refusal = changeRefusal(req);
        if (refusal != null) {
            return error(HttpResponseStatus.FORBIDDEN, refusal);
        }
        return top.equals("vrrp") ? release(path.get(1), path.get(2), caller) : serverAction(path, caller);
    }

    private FullHttpResponse serverAction(List<String> path, String caller) {
        Action action = action(path.get(4));
        if (action == null) {
            return error(HttpResponseStatus.NOT_FOUND, "no action '" + path.get(4)
                    + "' (expected: enable, ready, drain, maint)");
        }
        Optional<Outcome> outcome = servers.apply(path.get(1), path.get(3), action, caller);
        if (outcome.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "no server " + path.get(3) + " in upstream " + path.get(1));
        }
        return changed(outcome.get().changed(), "server", g -> server(g, outcome.get().server()));
    }

    private FullHttpResponse release(String instance, String action, String caller) {
        if (!action.equals("release")) {
            return error(HttpResponseStatus.NOT_FOUND, "no action '" + action + "' (expected: release)");
        }
        Optional<VrrpControl.Outcome> outcome;
        try {
            outcome = vrrp.release(instance, caller);
        } catch (IllegalStateException e) { // the instance did not answer in time
            return error(HttpResponseStatus.SERVICE_UNAVAILABLE, e.getMessage());
        }
        if (outcome.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "no VRRP instance " + instance);
        }
        return changed(outcome.get().changed(), "instance", g -> instance(g, outcome.get().instance()));
    }

    /** The answer to a command: whether it changed anything, and the thing after it under {@code name}. */
    private static FullHttpResponse changed(boolean changed, String name, Body thing) {
        return json(HttpResponseStatus.OK, g -> {
            g.writeStartObject();
            g.writeBooleanField("changed", changed);
            g.writeFieldName(name);
            thing.write(g);
            g.writeEndObject();
        });
    }

    private FullHttpResponse instances() {
        List<VrrpControl.InstanceStatus> all = vrrp.instances();
        return json(HttpResponseStatus.OK, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("instances");
            for (VrrpControl.InstanceStatus i : all) {
                instance(g, i);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void instance(JsonGenerator g, VrrpControl.InstanceStatus i) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", i.name());
        g.writeStringField("state", i.state());
        g.writeNumberField("priority", i.priority());
        g.writeNumberField("effective_priority", i.effectivePriority());
        g.writeBooleanField("preempt", i.preempt());
        g.writeStringField("interface", i.interfaceName());
        g.writeArrayFieldStart("virtual_ips");
        for (String vip : i.virtualIps()) {
            g.writeString(vip);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private boolean presentsToken(FullHttpRequest req) {
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // Constant time: how much of a guess matched must not show in how long the answer takes.
        return MessageDigest.isEqual(token, auth.substring(7).trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** Why this request may not change anything, or null when it may. */
    private String changeRefusal(FullHttpRequest req) {
        if (token == null && !loopbackOnly) {
            return "changing anything through an admin listener that is not on loopback needs admin.token";
        }
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !sameOrigin(origin, req.headers().get(HttpHeaderNames.HOST))) {
            return "refused: a request from another origin (" + origin + ")";
        }
        return null;
    }

    /** Whether a Host header names this machine's loopback: localhost, 127.x.x.x or [::1], any port. */
    static boolean namesLoopback(String host) {
        if (host == null) {
            return false;
        }
        String name = host.startsWith("[") ? host.substring(1, Math.max(1, host.indexOf(']')))
                : host.lastIndexOf(':') >= 0 ? host.substring(0, host.lastIndexOf(':')) : host;
        if (name.equalsIgnoreCase("localhost")) {
            return true;
        }
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(name); // a literal only: no lookup
        if (ip == null) {
            return false;
        }
        try {
            return InetAddress.getByAddress(ip).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean sameOrigin(String origin, String host) {
        try {
            URI o = new URI(origin);
            String authority = o.getRawAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host);
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static Action action(String name) {
        for (Action a : Action.values()) {
            if (a.name().toLowerCase(Locale.ROOT).equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** Every upstream, or only the named one (404 when there is none). */
    private FullHttpResponse upstreams(String only) {
        List<UpstreamStatus> all = servers.upstreams();
        List<UpstreamStatus> shown = only == null ? all
                : all.stream().filter(u -> u.name().equals(only)).toList();
        if (only != null && shown.isEmpty()) {
            return error(HttpResponseStatus.NOT_FOUND, "no upstream " + only);
        }
        return json(HttpResponseStatus.OK, g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("upstreams");
            for (UpstreamStatus u : shown) {
                g.writeStartObject();
                g.writeStringField("name", u.name());
                g.writeNumberField("eligible", u.servers().stream().filter(ServerStatus::eligible).count());
                g.writeArrayFieldStart("servers");
                for (ServerStatus s : u.servers()) {
                    server(g, s);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void server(JsonGenerator g, ServerStatus s) throws IOException {
        g.writeStartObject();
        g.writeStringField("address", s.address());
        g.writeNumberField("weight", s.weight());
        g.writeBooleanField("backup", s.backup());
        g.writeStringField("health", s.health());
        g.writeStringField("admin", s.admin());
        g.writeBooleanField("ejected", s.ejected());
        g.writeBooleanField("eligible", s.eligible());
        g.writeNumberField("in_flight", s.inFlight());
        g.writeStringField("last_cause", s.lastCause());
        g.writeEndObject();
    }

    /** The path below {@link #PREFIX}, one decoded element per segment ({@code %5B::1%5D:80} is {@code [::1]:80}). */
    private static List<String> segments(String uri) {
        String rest = new QueryStringDecoder(uri).rawPath().substring(PREFIX.length());
        List<String> out = new ArrayList<>();
        for (String s : rest.split("/")) {
            if (!s.isEmpty()) {
                out.add(QueryStringDecoder.decodeComponent(s));
            }
        }
        return out;
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static FullHttpResponse json(HttpResponseStatus status, Body body) {
        ByteBuf buf = Unpooled.buffer();
        OutputStream out = new ByteBufOutputStream(buf); // as a stream: it is a DataOutput too, which Jackson also takes
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: not expected
        }
        buf.writeByte('\n');
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        return r;
    }

    private static FullHttpResponse error(HttpResponseStatus status, String message) {
        return json(status, g -> {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeEndObject();
        });
    }

    private static FullHttpResponse notAllowed(String allow) {
        FullHttpResponse r = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed here (allowed: " + allow + ")");
        r.headers().set(HttpHeaderNames.ALLOW, allow);
        return r;
    }
}
