package dev.weft.runtime.capability.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.BasicHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.Lookup;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.Timeout;

/**
 * One request with Apache HttpClient 5 that can only connect to the addresses weft resolved and
 * checked for it: the client's {@link DnsResolver} answers the request's host with those addresses
 * (and refuses any other name), so the client never looks a name up itself, while the name stays in
 * the {@code Host} header, TLS SNI and the certificate check (the JDK's default trust store). Used
 * by the HTTP capability ({@link HttpSession}) and the agent's {@code http:} templates.
 *
 * <p>A client and connection per request, closed after it; no redirects (weft follows and checks
 * each hop), no proxy (system properties and the default {@code ProxySelector} are not read), no
 * cookies, no auth cache, no retries, no content decoding. The response is read whole, up to a size
 * cap; at the deadline the request is aborted, whatever read or write is under way.
 */
public final class PinnedClient {
  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 200;

  private static final Lookup<TlsSocketStrategy> TLS =
      RegistryBuilder.<TlsSocketStrategy>create()
          .register("https", new DefaultClientTlsStrategy(SSLContexts.createSystemDefault()))
          .build();

  /** Trusts every certificate and checks no host name: for {@code insecureSkipVerify} only. */
  private static final Lookup<TlsSocketStrategy> TRUSTING =
      RegistryBuilder.<TlsSocketStrategy>create()
          .register(
              "https",
              new DefaultClientTlsStrategy(
                  trustingContext(),
                  HostnameVerificationPolicy.CLIENT,
                  NoopHostnameVerifier.INSTANCE))
          .build();

  private static final ManagedHttpClientConnectionFactory CONNECTIONS =
      ManagedHttpClientConnectionFactory.builder()
          .http1Config(
              Http1Config.custom()
                  .setMaxLineLength(MAX_LINE)
                  .setMaxHeaderCount(MAX_HEADERS)
                  .build())
          .build();

  private PinnedClient() {}

  /** A response: its status, its headers (names in lower case) and its whole body. */
  public record Answer(int status, Map<String, List<String>> headers, byte[] body) {}

  /** The response body is over the cap. */
  public static final class TooLarge extends Exception {
    TooLarge() {
      super(null, null, false, false);
    }
  }

  /**
   * Answers only {@code host}, with the addresses that were checked for it; never a lookup. (An
   * unresolved answer would let the socket resolve the name itself, so there is none.)
   */
  record CheckedAddresses(String host, InetAddress[] addresses) implements DnsResolver {
    CheckedAddresses {
      if (addresses.length == 0) throw new IllegalArgumentException("no checked address");
      addresses = addresses.clone();
    }

    @Override
    public InetAddress[] resolve(String name) throws UnknownHostException {
      if (!bare(name).equalsIgnoreCase(bare(host)))
        throw new UnknownHostException(name + " was not resolved and checked for this request");
      return addresses.clone();
    }

    @Override
    public List<InetSocketAddress> resolve(String name, int port) throws UnknownHostException {
      return Arrays.stream(resolve(name)).map(a -> new InetSocketAddress(a, port)).toList();
    }

    @Override
    public String resolveCanonicalHostname(String name) throws UnknownHostException {
      resolve(name);
      return name;
    }

    private static String bare(String h) {
      return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
  }

  static Answer exchange(
      URI uri,
      InetAddress[] addresses,
      String method,
      List<String[]> headers,
      byte[] body,
      Duration connectTimeout,
      long deadline,
      long cap)
      throws IOException, TimeoutException, TooLarge {
    return exchange(
        uri, addresses, method, headers, body, connectTimeout, deadline, cap, true, abort -> {});
  }

  /**
   * One request to {@code uri}, connected only to {@code addresses} (resolved and checked by the
   * caller for the URL's host), answered whole before {@code deadline} ({@link System#nanoTime})
   * with a body of at most {@code cap} bytes.
   *
   * @param verifyTls false trusts any certificate and skips the host name check (Argo's {@code
   *     insecureSkipVerify}); SNI still carries the name
   * @param onStart is given, before the request starts, an action that aborts it from another
   *     thread (its connection closes under any read or write)
   * @throws TimeoutException at the deadline, or when connecting or a read takes longer
   */
  public static Answer exchange(
      URI uri,
      InetAddress[] addresses,
      String method,
      List<String[]> headers,
      byte[] body,
      Duration connectTimeout,
      long deadline,
      long cap,
      boolean verifyTls,
      Consumer<Runnable> onStart)
      throws IOException, TimeoutException, TooLarge {
    long left = deadline - System.nanoTime();
    if (left <= 0) throw new TimeoutException();
    Timeout connect =
        Timeout.ofMilliseconds(
            Math.max(1, Math.min(connectTimeout.toMillis(), TimeUnit.NANOSECONDS.toMillis(left))));
    Timeout total = Timeout.ofMilliseconds(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));

    BasicHttpClientConnectionManager connections =
        BasicHttpClientConnectionManager.create(
            DefaultSchemePortResolver.INSTANCE,
            new CheckedAddresses(uri.getHost(), addresses),
            verifyTls ? TLS : TRUSTING,
            CONNECTIONS);
    connections.setConnectionConfig(
        ConnectionConfig.custom().setConnectTimeout(connect).setSocketTimeout(total).build());

    HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
    request.setConfig(
        RequestConfig.custom()
            .setConnectionRequestTimeout(connect)
            .setResponseTimeout(total)
            .setRedirectsEnabled(false)
            .build());
    for (String[] h : headers) request.addHeader(h[0], h[1]);
    if (body.length > 0 || method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))
      request.setEntity(new ByteArrayEntity(body, null));

    onStart.accept(request::cancel);
    // at the deadline the request is aborted: its connection closes under any read or write
    CompletableFuture<Void> timer =
        CompletableFuture.runAsync(
            request::cancel,
            CompletableFuture.delayedExecutor(
                Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
    CloseableHttpClient client =
        HttpClients.custom()
            .setConnectionManager(connections)
            .setRoutePlanner(new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
            .setConnectionReuseStrategy((req, resp, context) -> false)
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableAutomaticRetries()
            .disableContentCompression()
            .disableConnectionState()
            .build();
    try (ClassicHttpResponse response = client.executeOpen(null, request, null)) {
      return read(request, response, cap);
    } catch (IOException e) {
      if (System.nanoTime() >= deadline || e instanceof InterruptedIOException)
        throw new TimeoutException();
      throw e;
    } catch (IllegalArgumentException e) { // a URL or header the client will not send
      throw new IOException(e.getMessage(), e);
    } finally {
      timer.cancel(false);
      client.close(CloseMode.IMMEDIATE);
    }
  }

  private static Answer read(HttpUriRequestBase request, ClassicHttpResponse response, long cap)
      throws IOException, TooLarge {
    Map<String, List<String>> headers = new HashMap<>();
    for (Header h : response.getHeaders()) {
      headers
          .computeIfAbsent(h.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(h.getValue());
    }
    HttpEntity entity = response.getEntity();
    byte[] body = new byte[0];
    if (entity != null) {
      if (entity.getContentLength() > cap) {
        request.cancel(); // closing the response would otherwise read the rest to reuse it
        throw new TooLarge();
      }
      try (InputStream in = entity.getContent()) {
        body = in.readNBytes((int) cap + 1);
        if (body.length > cap) {
          request.cancel();
          throw new TooLarge();
        }
      }
    }
    return new Answer(response.getCode(), headers, body);
  }

  private static SSLContext trustingContext() {
    X509ExtendedTrustManager all =
        new X509ExtendedTrustManager() {
          @Override
          public void checkClientTrusted(X509Certificate[] c, String a) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a) {}

          @Override
          public void checkClientTrusted(X509Certificate[] c, String a, Socket s) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a, Socket s) {}

          @Override
          public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}

          @Override
          public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}

          @Override
          public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
          }
        };
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {all}, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot set up TLS without verification", e);
    }
  }
}
