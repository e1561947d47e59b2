package dev.weft.runtime.capability.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 exchange with the address that was checked, never a name resolved again: the request
 * line and {@code Host} header carry the URL's host, TLS sends it as SNI and verifies the
 * certificate against it, and the socket connects to the given {@link InetAddress}. One request per
 * connection ({@code Connection: close}); the response is read whole, up to a size cap, before a
 * deadline.
 */
final class PinnedHttp {
  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 200;

  private PinnedHttp() {}

  record Answer(int status, Map<String, List<String>> headers, byte[] body) {}

  /** The response body is over the cap. */
  static final class TooLarge extends Exception {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  static Answer exchange(
      URI uri,
      InetAddress address,
      String method,
      List<String[]> headers,
      byte[] body,
      Duration connectTimeout,
      long deadline,
      long cap)
      throws IOException, TimeoutException, TooLarge {
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    int port = uri.getPort() != -1 ? uri.getPort() : tls ? 443 : 80;
    String host = uri.getHost();
    Socket socket = new Socket();
    CompletableFuture<Void> timer = null;
    try {
      long left = deadline - System.nanoTime();
      if (left <= 0) throw new TimeoutException();
      int connectMillis =
          (int)
              Math.max(1, Math.min(connectTimeout.toMillis(), TimeUnit.NANOSECONDS.toMillis(left)));
      try {
        socket.connect(new InetSocketAddress(address, port), connectMillis);
      } catch (SocketTimeoutException e) {
        throw new TimeoutException();
      }
      // a timer closes the socket when the deadline passes, whatever read or write is under way
      Socket closing = socket;
      timer =
          CompletableFuture.runAsync(
              () -> closeQuietly(closing),
              CompletableFuture.delayedExecutor(
                  Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      Socket s = socket;
      if (tls) {
        SSLSocket ssl =
            (SSLSocket)
                ((SSLSocketFactory) SSLSocketFactory.getDefault())
                    .createSocket(socket, host, port, true);
        SSLParameters p = ssl.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        if (!isLiteral(host)) {
          try {
            p.setServerNames(List.of(new SNIHostName(host)));
          } catch (IllegalArgumentException e) {
            throw new IOException(
                "'" + host + "' is not a host name TLS can send: " + e.getMessage());
          }
        }
        ssl.setSSLParameters(p);
        s = ssl;
      }
      s.setSoTimeout(
          (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      OutputStream out = s.getOutputStream();
      out.write(request(uri, host, port, tls, method, headers, body));
      out.flush();
      return read(new BufferedInputStream(s.getInputStream()), method, cap);
    } catch (IOException e) {
      if (System.nanoTime() >= deadline || e instanceof SocketTimeoutException)
        throw new TimeoutException();
      throw e;
    } finally {
      if (timer != null) timer.cancel(false);
      closeQuietly(socket);
    }
  }

  private static boolean isLiteral(String host) {
    return host.startsWith("[") || host.matches("[0-9.]+");
  }

  private static byte[] request(
      URI uri,
      String host,
      int port,
      boolean tls,
      String method,
      List<String[]> headers,
      byte[] body) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
    StringBuilder sb = new StringBuilder();
    sb.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    boolean defaultPort = port == (tls ? 443 : 80);
    sb.append("Host: ").append(host).append(defaultPort ? "" : ":" + port).append("\r\n");
    for (String[] h : headers) sb.append(h[0]).append(": ").append(h[1]).append("\r\n");
    if (body.length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))
      sb.append("Content-Length: ").append(body.length).append("\r\n");
    sb.append("Connection: close\r\n\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  private static Answer read(InputStream in, String method, long cap) throws IOException, TooLarge {
    int status;
    Map<String, List<String>> headers;
    do { // interim 1xx answers (100 Continue) come before the real one
      String statusLine = line(in);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/"))
        throw new IOException("not an HTTP response: " + printable(statusLine));
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("bad HTTP status line: " + printable(statusLine));
      }
      headers = headers(in);
    } while (status >= 100 && status < 200 && status != 101);
    byte[] body;
    String te = first(headers, "transfer-encoding");
    String cl = first(headers, "content-length");
    if (method.equals("HEAD") || status == 204 || status == 304 || status < 200) {
      body = new byte[0];
    } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = chunked(in, cap);
    } else if (cl != null) {
      long n;
      try {
        n = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + printable(cl));
      }
      if (n < 0) throw new IOException("bad Content-Length: " + n);
      if (n > cap) throw new TooLarge();
      body = in.readNBytes((int) n);
      if (body.length < n) throw new IOException("the response ended before its Content-Length");
    } else {
      body = in.readNBytes((int) cap + 1);
      if (body.length > cap) throw new TooLarge();
    }
    return new Answer(status, headers, body);
  }

  private static byte[] chunked(InputStream in, long cap) throws IOException, TooLarge {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in);
      int semi = sizeLine.indexOf(';');
      long size;
      try {
        size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
      } catch (NumberFormatException e) {
        throw new IOException("bad chunk size: " + printable(sizeLine));
      }
      if (size < 0) throw new IOException("bad chunk size: " + size);
      if (size == 0) break;
      if (out.size() + size > cap) throw new TooLarge();
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length < size) throw new IOException("the response ended inside a chunk");
      out.writeBytes(chunk);
      line(in); // the CRLF after the chunk
    }
    headers(in); // trailers
    return out.toByteArray();
  }

  private static Map<String, List<String>> headers(InputStream in) throws IOException {
    Map<String, List<String>> headers = new HashMap<>();
    for (int n = 0; ; n++) {
      String h = line(in);
      if (h.isEmpty()) return headers;
      if (n >= MAX_HEADERS) throw new IOException("more than " + MAX_HEADERS + " response headers");
      int colon = h.indexOf(':');
      if (colon <= 0) throw new IOException("bad response header: " + printable(h));
      headers
          .computeIfAbsent(
              h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.substring(colon + 1).trim());
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** A CRLF- (or LF-) terminated line of at most 64 KiB, without its terminator. */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new IOException("the response ended early");
      if (b.size() >= MAX_LINE) throw new IOException("a response line is over 64 KiB");
      b.write(c);
    }
    byte[] bytes = b.toByteArray();
    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
  }

  private static String printable(String s) {
    String t = s.length() > 80 ? s.substring(0, 80) + "..." : s;
    return t.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing to stop a read; nothing more to do
    }
  }
}
