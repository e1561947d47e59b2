package dev.weft.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Uploads of one file for {@link S3Store}: a single PUT up to the multipart threshold, else a
 * multipart upload aborted on failure, so an object appears whole or not at all. Bodies are content
 * providers over {@code Files}, since the file may be on an in-memory file system and the SDK asks
 * again on a retry.
 */
final class S3Uploads {
  private final S3Client s3;
  private final String bucket;
  private final long multipartThreshold;
  private final long partSize;
  private final Function<String, String> redact;
  private final S3Store.Failure failure;

  S3Uploads(
      S3Client s3,
      String bucket,
      long multipartThreshold,
      long partSize,
      Function<String, String> redact,
      S3Store.Failure failure) {
    this.s3 = s3;
    this.bucket = bucket;
    this.multipartThreshold = multipartThreshold;
    this.partSize = partSize;
    this.redact = redact;
    this.failure = failure;
  }

  void putFile(Path file, String key) throws IOException {
    long size = Files.size(file);
    try {
      if (size <= multipartThreshold) {
        // A provider over Files, not RequestBody.fromFile: the file may be on an in-memory file
        // system.
        s3.putObject(
            r -> r.bucket(bucket).key(key).contentLength(size),
            RequestBody.fromContentProvider(
                () -> slice(file, 0, size), size, "application/octet-stream"));
      } else {
        putMultipart(file, key, size);
      }
    } catch (SdkException e) {
      throw failure.of("put", key, e);
    }
  }

  /** Parts go one after another; the object only appears when the upload is completed. */
  private void putMultipart(Path file, String key, long size) throws IOException {
    String uploadId = s3.createMultipartUpload(r -> r.bucket(bucket).key(key)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      int partNumber = 1;
      for (long offset = 0; offset < size; offset += partSize, partNumber++) {
        long length = Math.min(partSize, size - offset);
        long from = offset;
        int n = partNumber;
        // A provider, not a stream: the SDK asks again for each retry.
        RequestBody body =
            RequestBody.fromContentProvider(
                () -> slice(file, from, length), length, "application/octet-stream");
        String etag =
            s3.uploadPart(
                    r ->
                        r.bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumber(n)
                            .contentLength(length),
                    body)
                .eTag();
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      s3.completeMultipartUpload(
          r ->
              r.bucket(bucket)
                  .key(key)
                  .uploadId(uploadId)
                  .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    } catch (RuntimeException e) {
      try {
        s3.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
      } catch (SdkException abort) {
        e.addSuppressed(
            new IOException(
                "could not abort the multipart upload of '"
                    + key
                    + "' (the server drops it by its own lifecycle rules): "
                    + redact.apply(abort.getMessage())));
      }
      throw e;
    }
  }

  private static InputStream slice(Path file, long offset, long length) {
    try {
      return BoundedStreams.slice(file, offset, length);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** CA certificates in PEM, read when a connection needs them; {@code source} names them. */
  record CaCertificates(PemBytes pem, String source) {}

  /** Reads PEM bytes (a file, or a Secret's value already read). */
  interface PemBytes {
    byte[] read() throws IOException;
  }

  static javax.net.ssl.TrustManager[] trustManagers(CaCertificates ca) {
    try (InputStream in = new java.io.ByteArrayInputStream(ca.pem().read())) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0)
        throw new IllegalArgumentException("CA certificates in " + ca.source() + ": none found");
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      return tmf.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "cannot read CA certificates from " + ca.source() + ": " + e.getMessage(), e);
    }
  }
}
