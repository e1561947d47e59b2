package dev.weft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which requests make {@code weft serve}'s tail, and were they caught in a JVM pause: C keep-alive
 * connections, each sending the hello step (as {@code serve-ab.sh}'s wrk script does) one request
 * after another for S seconds over a plain socket, recording each request's wall-clock start and
 * latency. With the server's {@code -Xlog:gc*,safepoint:file=LOG:time,uptimenanos} it reports how
 * many of the requests slower than the threshold overlapped a safepoint (a GC pause or any other
 * stop of all Java threads), against how many would by chance.
 *
 * <p>Usage: {@code ServeTrace URL TOKEN_FILE SECONDS CONNECTIONS [SLOW_MS] [SAFEPOINT_LOG]}. URL
 * ending in {@code /readyz} sends GETs instead (the floor). Run it with little allocation noise of
 * its own: {@code -XX:+UnlockExperimentalVMOptions -XX:+UseEpsilonGC -Xmx2g}.
 */
public final class ServeTrace {
  /** One request: start (ms since the epoch, fractional) and latency (ms). */
  record Sample(double startMs, double latencyMs) {}

  /** One stop of all Java threads: its start and end (ms since the epoch, fractional). */
  record Pause(double startMs, double endMs, String what) {}

  public static void main(String[] a) throws Exception {
    URI url = URI.create(a[0]);
    String token = Files.readString(Path.of(a[1])).strip();
    double seconds = Double.parseDouble(a[2]);
    int connections = Integer.parseInt(a[3]);
    double slowMs = a.length > 4 ? Double.parseDouble(a[4]) : 3.0;
    // one clock for all threads: the wall clock read once, then nanoTime
    long anchorNanos = System.nanoTime();
    double anchorMs = System.currentTimeMillis();
    long end = anchorNanos + (long) (seconds * 1e9);
    List<List<Sample>> perConnection = new ArrayList<>();
    Thread[] threads = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      List<Sample> mine = new ArrayList<>(1 << 16);
      perConnection.add(mine);
      int id = c;
      threads[c] =
          new Thread(
              () -> {
                try {
                  drive(url, token, id, end, anchorNanos, anchorMs, mine);
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      threads[c].start();
    }
    for (Thread t : threads) t.join();
    List<Sample> all = new ArrayList<>();
    perConnection.forEach(all::addAll);
    double[] lat = all.stream().mapToDouble(Sample::latencyMs).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "requests %d (%.0f/s) p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f ms%n",
        lat.length,
        lat.length / seconds,
        pct(lat, 50),
        pct(lat, 90),
        pct(lat, 99),
        pct(lat, 99.9),
        lat[lat.length - 1]);
    List<Sample> slow = all.stream().filter(s -> s.latencyMs > slowMs).toList();
    System.out.printf(
        Locale.ROOT,
        "slower than %.1f ms: %d (%.2f%%)%n",
        slowMs,
        slow.size(),
        100.0 * slow.size() / lat.length);
    if (a.length > 5) {
      double first = all.stream().mapToDouble(Sample::startMs).min().orElse(0);
      double last = all.stream().mapToDouble(s -> s.startMs + s.latencyMs).max().orElse(0);
      List<Pause> pauses =
          pauses(Path.of(a[5])).stream()
              .filter(p -> p.endMs >= first && p.startMs <= last)
              .toList();
      double paused = pauses.stream().mapToDouble(p -> p.endMs - p.startMs).sum();
      long slowInPause = slow.stream().filter(s -> overlaps(s, pauses)).count();
      long anyInPause = all.stream().filter(s -> overlaps(s, pauses)).count();
      double slowPausedMs = slow.stream().mapToDouble(s -> overlapMs(s, pauses)).sum();
      double slowExtraMs = slow.stream().mapToDouble(s -> s.latencyMs - pct(lat, 50)).sum();
      System.out.printf(
          Locale.ROOT,
          "safepoints in the window: %d (%.1f/s), %.1f ms stopped (%.2f%% of the time), longest %.1f ms%n",
          pauses.size(),
          pauses.size() / ((last - first) / 1000),
          paused,
          100 * paused / (last - first),
          pauses.stream().mapToDouble(p -> p.endMs - p.startMs).max().orElse(0));
      System.out.printf(
          Locale.ROOT,
          "requests overlapping a safepoint: all %d (%.2f%%), slow %d of %d (%.0f%%); of the slow"
              + " requests' time over the median, %.0f%% was inside safepoints%n",
          anyInPause,
          100.0 * anyInPause / lat.length,
          slowInPause,
          slow.size(),
          slow.isEmpty() ? 0 : 100.0 * slowInPause / slow.size(),
          slowExtraMs > 0 ? 100 * slowPausedMs / slowExtraMs : 0);
      // the pause kinds behind slow requests
      java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
      for (Sample s : slow)
        for (Pause p : pauses)
          if (p.startMs < s.startMs + s.latencyMs && p.endMs > s.startMs)
            kinds.merge(p.what, 1, Integer::sum);
      System.out.println("safepoint kinds overlapping slow requests: " + kinds);
    }
  }

  private static boolean overlaps(Sample s, List<Pause> pauses) {
    return overlapMs(s, pauses) > 0;
  }

  private static double overlapMs(Sample s, List<Pause> pauses) {
    double t = 0;
    for (Pause p : pauses) {
      double from = Math.max(p.startMs, s.startMs);
      double to = Math.min(p.endMs, s.startMs + s.latencyMs);
      if (to > from) t += to - from;
    }
    return t;
  }

  private static double pct(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
  }

  private static final Pattern SAFEPOINT =
      Pattern.compile("^\\[([^\\]]+)\\].*Safepoint \"([^\"]+)\".*Total: (\\d+) ns");

  /**
   * The safepoints of a {@code -Xlog:safepoint:...:time} log. The time decorator is the line's (the
   * safepoint's end) wall clock with millisecond resolution; the start is that minus its total.
   */
  static List<Pause> pauses(Path log) throws IOException {
    List<Pause> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(log)) {
      for (String line; (line = r.readLine()) != null; ) {
        Matcher m = SAFEPOINT.matcher(line);
        if (!m.find()) continue;
        double endMs =
            OffsetDateTime.parse(
                    m.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"))
                .toInstant()
                .toEpochMilli();
        double totalMs = Long.parseLong(m.group(3)) / 1e6;
        out.add(new Pause(endMs - totalMs, endMs + 1, m.group(2))); // +1: the ms resolution
      }
    }
    return out;
  }

  private static void drive(
      URI url, String token, int id, long end, long anchorNanos, double anchorMs, List<Sample> out)
      throws IOException {
    boolean get = url.getPath().endsWith("/readyz");
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(url.getHost(), url.getPort()));
      OutputStream o = s.getOutputStream();
      InputStream in = s.getInputStream();
      byte[] buf = new byte[64 << 10];
      for (int i = 0; System.nanoTime() < end; i++) {
        byte[] req;
        if (get) {
          req =
              ("GET "
                      + url.getPath()
                      + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + token
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII);
        } else {
          String body =
              "{\"workflow\":{\"metadata\":{\"name\":\"load\",\"namespace\":\"argo\",\"uid\":\"trace-"
                  + id
                  + "-"
                  + i
                  + "-"
                  + anchorNanos
                  + "\"}},"
                  + "\"template\":{\"name\":\"hello\",\"inputs\":{\"parameters\":[{\"name\":\"name\",\"value\":\"load\"}]},"
                  + "\"outputs\":{\"parameters\":[{\"name\":\"greeting\",\"valueFrom\":{\"supplied\":{}}}]},"
                  + "\"plugin\":{\"wasm\":{\"module\":{\"file\":\"hello/hello.wasm\"}}}}}";
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          req =
              ("POST "
                      + url.getPath()
                      + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                      + token
                      + "\r\nContent-Length: "
                      + b.length
                      + "\r\n\r\n"
                      + body)
                  .getBytes(StandardCharsets.UTF_8);
        }
        long t0 = System.nanoTime();
        o.write(req);
        o.flush();
        readResponse(in, buf);
        long t1 = System.nanoTime();
        out.add(new Sample(anchorMs + (t0 - anchorNanos) / 1e6, (t1 - t0) / 1e6));
      }
    }
  }

  /** Reads one HTTP/1.1 response with a Content-Length (weft and Jetty send one). */
  private static void readResponse(InputStream in, byte[] buf) throws IOException {
    int n = 0;
    int headerEnd = -1;
    while (headerEnd < 0) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) throw new IOException("connection closed");
      n += r;
      for (int i = 3; i < n; i++)
        if (buf[i - 3] == '\r' && buf[i - 2] == '\n' && buf[i - 1] == '\r' && buf[i] == '\n') {
          headerEnd = i + 1;
          break;
        }
    }
    String head = new String(buf, 0, headerEnd, StandardCharsets.ISO_8859_1);
    if (!head.startsWith("HTTP/1.1 200"))
      throw new IOException("not 200: " + head.lines().findFirst().orElse(""));
    Matcher m = Pattern.compile("(?i)content-length: *(\\d+)").matcher(head);
    if (!m.find()) throw new IOException("no Content-Length: " + head);
    int want = headerEnd + Integer.parseInt(m.group(1));
    while (n < want) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) throw new IOException("connection closed");
      n += r;
    }
  }
}
