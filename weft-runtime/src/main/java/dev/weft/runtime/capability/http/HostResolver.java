package dev.weft.runtime.capability.http;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a host name into addresses, once per request: the HTTP capability checks what this returns
 * and connects to one of those very addresses, so an answer that changes between the check and the
 * connection (DNS rebinding) cannot steer a request to a refused address.
 */
@FunctionalInterface
public interface HostResolver {
  InetAddress[] resolve(String host) throws UnknownHostException;

  /** The JVM's resolver. */
  HostResolver SYSTEM = InetAddress::getAllByName;
}
