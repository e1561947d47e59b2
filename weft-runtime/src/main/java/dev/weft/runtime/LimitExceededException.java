package dev.weft.runtime;

/**
 * A limit refused something before it could use the host's resources; names the limit, its value
 * and what was asked.
 */
public final class LimitExceededException extends WeftException {
  private final String limit;
  private final long limitValue;
  private final long observed;

  public LimitExceededException(String limit, long limitValue, long observed, String message) {
    super(message);
    this.limit = limit;
    this.limitValue = limitValue;
    this.observed = observed;
  }

  /** The limit's name as the operator sets it, e.g. {@code module.maxTypes}. */
  public String limit() {
    return limit;
  }

  public long limitValue() {
    return limitValue;
  }

  public long observed() {
    return observed;
  }
}
