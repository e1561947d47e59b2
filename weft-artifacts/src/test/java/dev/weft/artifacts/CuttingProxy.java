package dev.weft.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay on 127.0.0.1 to a real server that "goes down" once the client has sent {@code
 * cutAfter} bytes: every connection is closed and no new one is accepted. Simulates S3 failing in
 * the middle of an upload.
 */
public final class CuttingProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final long cutAfter;
  private final AtomicLong sent = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean down;

  public CuttingProxy(int upstreamPort, long cutAfter) throws IOException {
    this.upstreamPort = upstreamPort;
    this.cutAfter = cutAfter;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "cutting-proxy");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public boolean wentDown() {
    return down;
  }

  private void acceptLoop() {
    while (!down) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        sockets.add(client);
        sockets.add(upstream);
        pump(client.getInputStream(), upstream.getOutputStream(), true);
        pump(upstream.getInputStream(), client.getOutputStream(), false);
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(InputStream in, OutputStream out, boolean counted) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16 * 1024];
              try {
                int n;
                while ((n = in.read(buf)) > 0) {
                  if (counted && sent.addAndGet(n) > cutAfter) {
                    goDown();
                    return;
                  }
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // the other side closed
              }
            },
            "cutting-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private void goDown() {
    down = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  @Override
  public void close() {
    goDown();
  }
}
