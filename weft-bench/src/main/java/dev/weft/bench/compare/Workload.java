package dev.weft.bench.compare;

/**
 * The three workloads, each one program built from the same C source natively (static) and to
 * wasm32-wasi, with {@code stamp.c} linked in so it reports when its code starts and ends.
 */
public enum Workload {
  /** Trivial: print a greeting. */
  HELLO("hello", "trivial: print a greeting"),
  /** CPU: desaturate a 512×512 PPM (examples/modules/image). */
  IMAGE("image", "CPU: desaturate a 512x512 PPM image (examples/modules/image)"),
  /** Artifact I/O: copy a 256 KiB input file to an output file. */
  COPY("copy", "artifact I/O: read a 256 KiB input file, write it to an output file");

  /** The program's file name: {@code <program>} natively, {@code <program>.wasm} for weft. */
  public final String program;

  public final String description;

  Workload(String program, String description) {
    this.program = program;
    this.description = description;
  }

  public String id() {
    return program;
  }
}
