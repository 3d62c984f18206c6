package dev.s3scanner.core.testing;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A TCP relay in front of the test PostgreSQL server that reads every message clients send (the
 * frontend side of the PostgreSQL wire protocol, version 3) and reports those that would make RDS
 * Proxy pin the client session to one database connection.
 *
 * <p>The conditions are the ones the RDS Proxy user guide lists for PostgreSQL ("Avoiding pinning an
 * RDS Proxy"): {@code SET}/{@code RESET} and {@code set_config}, {@code PREPARE}/{@code EXECUTE}/
 * {@code DEALLOCATE}/{@code DISCARD} and named prepared statements at the protocol level, temporary
 * tables/sequences/views, {@code DECLARE} (cursors), {@code LISTEN}, {@code LOAD}, sequence functions,
 * session-level advisory locks ({@code pg_advisory_lock}, {@code pg_try_advisory_lock}; the
 * {@code _xact_} forms do not pin) and statement text over 16 KB. It watches what the client sends,
 * which is what the proxy can see; it is not RDS Proxy, and statements run inside server-side functions
 * are out of its view as they are out of the proxy's.
 *
 * <p>Connect through {@link #jdbcUrl(String)}: it disables TLS so the messages can be read.
 */
public final class PinningWatch implements AutoCloseable {
    /** A message that would pin the session, with the reason. */
    public record Pin(String reason, String statement) {
    }

    private static final int SSL_REQUEST = 80877103;
    private static final int GSSENC_REQUEST = 80877104;
    private static final int CANCEL_REQUEST = 80877102;
    private static final int MAX_STATEMENT_BYTES = 16 * 1024;
    private static final List<Map.Entry<Pattern, String>> RULES = List.of(
            rule("^(SET|RESET)\\b", "SET/RESET of a session setting"),
            rule("\\bset_config\\s*\\(", "set_config"),
            rule("^(PREPARE|EXECUTE|DEALLOCATE|DISCARD)\\b", "prepared statement or DISCARD command"),
            rule("^CREATE\\s+(GLOBAL\\s+|LOCAL\\s+)?(TEMP|TEMPORARY)\\b", "temporary object"),
            rule("^DECLARE\\b", "cursor"),
            rule("^LISTEN\\b", "LISTEN"),
            rule("^LOAD\\b", "LOAD of a library"),
            rule("\\b(nextval|setval|currval|lastval)\\s*\\(", "sequence function"),
            rule("\\bpg_(try_)?advisory_lock(_shared)?\\s*\\(", "session-level advisory lock"));

    private static Map.Entry<Pattern, String> rule(String regex, String reason) {
        return Map.entry(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), reason);
    }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket server;
    private final List<String> statements = Collections.synchronizedList(new ArrayList<>());
    private final List<Pin> pins = Collections.synchronizedList(new ArrayList<>());
    private final List<Map<String, String>> startups = Collections.synchronizedList(new ArrayList<>());
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

    private PinningWatch(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "pinning-watch-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /**
     * Starts a relay to the PostgreSQL server of {@link TestDatabase#ADMIN_URL}.
     *
     * @throws IOException when no local port can be opened
     */
    public static PinningWatch start() throws IOException {
        java.net.URI uri = java.net.URI.create(TestDatabase.ADMIN_URL.substring("jdbc:".length()));
        return new PinningWatch(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
    }

    /**
     * A JDBC URL for {@code database} through this relay, with the admin URL's parameters and TLS off.
     */
    public String jdbcUrl(String database) {
        String admin = TestDatabase.ADMIN_URL;
        int q = admin.indexOf('?');
        String params = q < 0 ? "" : admin.substring(q + 1) + "&";
        return "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/" + database + "?" + params + "sslmode=disable";
    }

    /** Every statement text clients sent (simple and extended protocol), in order. */
    public List<String> statements() {
        synchronized (statements) {
            return List.copyOf(statements);
        }
    }

    /** Every message so far that would pin a session. */
    public List<Pin> pins() {
        synchronized (pins) {
            return List.copyOf(pins);
        }
    }

    /** The startup parameters of each connection so far. */
    public List<Map<String, String>> startupParameters() {
        synchronized (startups) {
            return List.copyOf(startups);
        }
    }

    /** Forgets what was seen so far. */
    public void clear() {
        statements.clear();
        pins.clear();
        startups.clear();
    }

    /**
     * The reasons a statement text would pin a session (empty when none).
     *
     * @param sql the statement as the client sends it
     */
    public static List<String> reasons(String sql) {
        String s = stripLeadingComments(sql);
        List<String> out = new ArrayList<>();
        for (Map.Entry<Pattern, String> r : RULES) {
            if (r.getKey().matcher(s).find()) {
                out.add(r.getValue());
            }
        }
        if (sql.getBytes(StandardCharsets.UTF_8).length > MAX_STATEMENT_BYTES) {
            out.add("statement text over 16 KB");
        }
        return out;
    }

    private static String stripLeadingComments(String sql) {
        String s = sql.strip();
        while (s.startsWith("--") || s.startsWith("/*")) {
            int end = s.startsWith("--") ? s.indexOf('\n') : s.indexOf("*/");
            s = end < 0 ? "" : s.substring(end + (s.startsWith("--") ? 1 : 2)).strip();
        }
        return s;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(upstream);
                Thread up = new Thread(() -> clientToServer(client, upstream), "pinning-watch-up");
                Thread down = new Thread(() -> pump(upstream, client), "pinning-watch-down");
                up.setDaemon(true);
                down.setDaemon(true);
                up.start();
                down.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void clientToServer(Socket client, Socket upstream) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(client.getInputStream()));
             OutputStream out = upstream.getOutputStream()) {
            // startup phase: untyped messages
            while (true) {
                int len = in.readInt();
                byte[] body = new byte[len - 4];
                in.readFully(body);
                writeInt(out, len);
                out.write(body);
                out.flush();
                int code = ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
                if (code == CANCEL_REQUEST) {
                    return;
                }
                if (code != SSL_REQUEST && code != GSSENC_REQUEST) {
                    startups.add(startupParameters(body));
                    break;
                }
            }
            // typed messages
            while (true) {
                int type = in.read();
                if (type < 0) {
                    return;
                }
                int len = in.readInt();
                byte[] body = new byte[len - 4];
                in.readFully(body);
                out.write(type);
                writeInt(out, len);
                out.write(body);
                if (type == 'Q' || type == 'P' || type == 'S' || type == 'H' || type == 'X' || type == 'c') {
                    out.flush();
                }
                if (type == 'Q') {
                    record(cstring(body, 0), null);
                } else if (type == 'P') {
                    String name = cstring(body, 0);
                    String sql = cstring(body, name.getBytes(StandardCharsets.UTF_8).length + 1);
                    record(sql, name);
                }
            }
        } catch (EOFException | SocketException e) {
            // client or server closed
        } catch (IOException e) {
            throw new IllegalStateException("pinning watch relay failed", e);
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    private void record(String sql, String statementName) {
        if (sql.isEmpty() && (statementName == null || statementName.isEmpty())) {
            return; // pgjdbc's isValid() sends an empty query
        }
        statements.add(sql);
        for (String reason : reasons(sql)) {
            pins.add(new Pin(reason, sql));
        }
        if (statementName != null && !statementName.isEmpty()) {
            pins.add(new Pin("named prepared statement " + statementName, sql));
        }
    }

    private static Map<String, String> startupParameters(byte[] body) {
        Map<String, String> params = new LinkedHashMap<>();
        int pos = 4;
        while (pos < body.length && body[pos] != 0) {
            String key = cstring(body, pos);
            pos += key.getBytes(StandardCharsets.UTF_8).length + 1;
            String value = cstring(body, pos);
            pos += value.getBytes(StandardCharsets.UTF_8).length + 1;
            params.put(key, value);
        }
        return params;
    }

    private static String cstring(byte[] b, int from) {
        int end = from;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    private static void writeInt(OutputStream out, int v) throws IOException {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (sockets) {
            sockets.forEach(PinningWatch::closeQuietly);
        }
    }
}
