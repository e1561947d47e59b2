package dev.weft.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Jackson's databind, created only when a command needs it: it costs ~0.2 s of JVM start-up. */
final class Jackson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Jackson() {}
}
