package dev.weft.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of the API stand-in. Its connections can be cut on the client's
 * side at once (a dropped watch, as a load balancer or NAT dropping the client's connection), or
 * its watch connections can go silent without closing (a network path that drops packets: nothing
 * arrives and nothing tells the client); new connections are relayed as usual.
 *
 * <p>A cut leaves the stand-in's side of the connection open and drains it until the relay closes:
 * fabric8's mock server 8.0.0 can block its event loop for good when it sends a watch event on a
 * connection it has not yet seen closed (seen here: "vert.x-eventloop-thread-0 has been blocked"
 * for over 25 s, after which nothing was answered), which a real API server does not do.
 */
final class Relay implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final List<Connection> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private volatile boolean closed;

  /** One relayed connection. */
  private record Connection(
      Socket client,
      Socket upstream,
      AtomicBoolean watch,
      AtomicBoolean silenced,
      AtomicBoolean cut) {
    void closeAll() {
      closeQuietly(client);
      closeQuietly(upstream);
    }
  }

  Relay(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "relay");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  int accepted() {
    return accepted.get();
  }

  /** Cuts every open connection on the client's side, as a network blip would. */
  void cutAll() {
    for (Connection c : open) {
      c.cut().set(true);
      closeQuietly(c.client());
    }
  }

  /**
   * From now on the open watch connections relay nothing in either direction, and stay open.
   * Returns how many there were.
   */
  int silenceWatches() {
    int n = 0;
    for (Connection c : open) {
      if (c.watch().get() && !c.cut().get()) {
        c.silenced().set(true);
        n++;
      }
    }
    return n;
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        accepted.incrementAndGet();
        Connection c =
            new Connection(
                client, upstream, new AtomicBoolean(), new AtomicBoolean(), new AtomicBoolean());
        open.add(c);
        pump(c, client.getInputStream(), upstream.getOutputStream(), true);
        pump(c, upstream.getInputStream(), client.getOutputStream(), false);
      } catch (IOException e) {
        if (closed) return;
      }
    }
  }

  private static void pump(Connection c, InputStream in, OutputStream out, boolean fromClient) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  // any request on the connection may be the watch (a kept-alive connection can
                  // carry a list first); a watch's connection carries nothing else after it
                  if (fromClient
                      && !c.watch().get()
                      && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("watch=true"))
                    c.watch().set(true);
                  if (c.silenced().get() || c.cut().get()) continue; // dropped
                  try {
                    out.write(buf, 0, n);
                    out.flush();
                  } catch (IOException e) {
                    if (!c.cut().get()) throw e;
                    // the client's side is cut: keep draining the stand-in's side
                  }
                }
              } catch (IOException e) {
                // one side closed
              }
              if (!c.cut().get()) c.closeAll(); // after a cut the stand-in's side stays open
            },
            "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Connection c : open) c.closeAll();
  }
}
