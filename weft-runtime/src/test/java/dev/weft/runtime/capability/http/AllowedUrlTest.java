package dev.weft.runtime.capability.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

class AllowedUrlTest {
  @Test
  void schemeHostAndEffectivePortMustAllMatch() {
    AllowedUrl a = AllowedUrl.parse("https://api.example.com/any/path");
    assertThat(a.matches(URI.create("https://api.example.com/v1"))).isTrue();
    assertThat(a.matches(URI.create("https://API.example.com:443/v1"))).isTrue();
    assertThat(a.matches(URI.create("http://api.example.com/v1"))).isFalse();
    assertThat(a.matches(URI.create("https://api.example.com:8443/v1"))).isFalse();
    assertThat(a.matches(URI.create("https://api.example.com.evil.net/"))).isFalse();
  }

  @Test
  void wildcardsMatchSubdomainsOnly() {
    AllowedUrl a = AllowedUrl.parse("https://*.example.com");
    assertThat(a.host()).isEqualTo("*.example.com");
    assertThat(a.matches(URI.create("https://a.b.example.com/"))).isTrue();
    assertThat(a.matches(URI.create("https://example.com/"))).isFalse();
    assertThat(a.matches(URI.create("https://badexample.com/"))).isFalse();
  }

  @Test
  void stepEntriesMustLieWithinTheCeiling() {
    AllowedUrl ceiling = AllowedUrl.parse("https://*.example.com");
    assertThat(AllowedUrl.parse("https://api.example.com").within(ceiling)).isTrue();
    assertThat(AllowedUrl.parse("https://*.api.example.com").within(ceiling)).isTrue();
    assertThat(AllowedUrl.parse("http://api.example.com").within(ceiling)).isFalse();
    assertThat(AllowedUrl.parse("https://example.org").within(ceiling)).isFalse();
  }

  @Test
  void bareHostsAndOtherSchemesAreRefusedNamingTheEntry() {
    assertThatThrownBy(() -> AllowedUrl.parse("api.example.com"))
        .hasMessageContaining("'api.example.com' must be a full URL");
    assertThatThrownBy(() -> AllowedUrl.parse("ftp://x.example"))
        .hasMessageContaining("scheme must be http or https, not 'ftp'");
  }

  @Test
  void onlyAnEntryNamingALinkLocalAddressAdmitsIt() throws Exception {
    InetAddress metadata = InetAddress.getByName("169.254.169.254");
    assertThat(AllowedUrl.parse("http://169.254.169.254").namesAddress(metadata)).isTrue();
    assertThat(AllowedUrl.parse("http://metadata.example").namesAddress(metadata)).isFalse();
    assertThat(AllowedUrl.parse("http://169.254.169.253").namesAddress(metadata)).isFalse();
  }
}
