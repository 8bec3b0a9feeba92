package dev.jakartafaas.invocation.control;

/**
 * Picks the replica for a request: the one with the fewest requests in flight; ties are broken by
 * rotating with a ticket, so that sequential requests spread over idle replicas.
 */
public final class ReplicaChoice {

  private ReplicaChoice() {}

  /**
   * @param inFlight requests in flight per replica
   * @param excluded index of a replica to avoid (it just refused a connection), or -1; ignored when
   *     it is the only replica
   * @param ticket a number that grows with every request
   * @return the chosen index
   */
  public static int choose(int[] inFlight, int excluded, long ticket) {
    int n = inFlight.length;
    if (n == 1) {
      return 0;
    }
    int min = Integer.MAX_VALUE;
    int ties = 0;
    for (int i = 0; i < n; i++) {
      if (i == excluded) {
        continue;
      }
      if (inFlight[i] < min) {
        min = inFlight[i];
        ties = 1;
      } else if (inFlight[i] == min) {
        ties++;
      }
    }
    int pick = (int) Math.floorMod(ticket, (long) ties);
    for (int i = 0; i < n; i++) {
      if (i != excluded && inFlight[i] == min && pick-- == 0) {
        return i;
      }
    }
    throw new IllegalStateException("no replica to choose");
  }
}
