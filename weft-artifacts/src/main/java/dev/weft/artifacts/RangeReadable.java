package dev.weft.artifacts;

import java.io.IOException;
import java.io.InputStream;

/** A store that can serve part of an object, for reading large inputs without downloading them. */
public interface RangeReadable {
  /**
   * The object's size in bytes.
   *
   * @throws ArtifactNotFoundException when no object is at key (directory prefixes do not count)
   */
  long size(String key) throws IOException;

  /**
   * The object's size, or for a directory artifact (a key prefix) the sum of its objects' sizes.
   *
   * @throws ArtifactNotFoundException when neither exists
   */
  long totalSize(String key) throws IOException;

  /** The bytes {@code [offset, offset + length)} of the object at key (fewer at its end). */
  InputStream read(String key, long offset, long length) throws IOException;

  /** As {@link ArtifactStore#describe()}. */
  String describe();
}
