"""Follows a projection's rebuild: ./asyncshop replay runs it once the service has accepted one.

Prints, each second, how far the new generation has read (events, rate, lag), and once readers are
switched over to it, the final count. Arguments: the projection's status URL, the Authorization
header, and the service's answer to the rebuild request (JSON).

Exit status 0 once readers are switched over to the new generation; 1 when the rebuild was given up,
and when this stops following one that goes on in the service: no progress within --patience
(ASYNCSHOP_REPLAY_PATIENCE, in seconds, 300 unless set), or the service refused the token.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime


class Unanswered(Exception):
    """The service could not be asked now; the rebuild goes on there all the same."""


def status(url, authorization):
    name, value = authorization.split(": ", 1)
    request = urllib.request.Request(url, headers={name: value, "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        # A gateway or a restarting instance answers 5xx for a moment; anything else is an answer.
        if e.code >= 500:
            raise Unanswered(f"{e.code} {e.reason}") from e
        raise
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise Unanswered(str(e)) from e


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def span(seconds):
    return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"


def generation(projection, number):
    return next((g for g in projection["generations"] if g["number"] == number), None)


def look_with(url):
    return (f"  look at it with: curl -H \"Authorization: Bearer $(./asyncshop token operations)\" {url}\n"
            f"  give it up with the same and -X DELETE {url}/rebuild")


def patience_from_environment():
    """ASYNCSHOP_REPLAY_PATIENCE in seconds, or 300; a value that is no number is said to be one."""
    text = os.environ.get("ASYNCSHOP_REPLAY_PATIENCE", "300")
    try:
        return float(text)
    except ValueError:
        sys.exit(f"ASYNCSHOP_REPLAY_PATIENCE must be a number of seconds, not '{text}'")


def arguments():
    parser = argparse.ArgumentParser(description="Follows a projection's rebuild until the switch.")
    parser.add_argument("url", help="the projection's status URL")
    parser.add_argument("authorization", help='the Authorization header: "Authorization: Bearer ..."')
    parser.add_argument("accepted", type=json.loads, help="the service's 202 answer (JSON)")
    parser.add_argument("--patience", type=float, default=patience_from_environment(),
                        help="seconds without progress before following stops (the rebuild goes on)")
    parser.add_argument("--every", type=float, default=1.0, help="seconds between two looks")
    return parser.parse_args()


def main():
    options = arguments()
    url, accepted = options.url, options.accepted
    # The newest: the one asked for, even when it switched over before the answer was made.
    building = max(accepted["generations"], key=lambda g: g["number"])
    number = building["number"]
    # The service lists no retired generation, so the one this rebuild retires is named from here.
    replaced = [g["number"] for g in accepted["generations"]
                if g["number"] < number and g["state"] == "ACTIVE"]
    print(f"generation {number} requested by {building['requestedBy']}; topics: "
          + ", ".join(accepted["topics"]))
    last_events, last_time = building["events"], time.monotonic()
    last_state, last_progress = building["state"], last_time
    unanswered = False
    while True:
        time.sleep(options.every)
        now = time.monotonic()
        try:
            projection = status(url, options.authorization)
        except Unanswered as e:
            if not unanswered:
                print(f"  the service does not answer ({e}); the rebuild goes on there, asking again")
            unanswered = True
            projection = None
        except urllib.error.HTTPError as e:
            if e.code == 401:
                print(f"stopped following: the service refused the token ({e.code} {e.reason}), "
                      f"expired perhaps (15 minutes unless the authorization server says otherwise); "
                      f"generation {number} goes on in the service\n" + look_with(url), file=sys.stderr)
            else:
                print(f"stopped following: the service refused to say how the rebuild goes "
                      f"({e.code} {e.reason})", file=sys.stderr)
            return 1
        if projection is not None:
            if unanswered:
                print("  the service answers again")
            unanswered = False
            current = generation(projection, number)
            if current is None or current["state"] == "RETIRED":
                return ended(projection, number, current, last_events)
            events, lag = current["events"], current["lag"]
            lag_text = "unknown (Kafka did not answer)" if lag is None else f"{lag:,}"
            if current["state"] == "ACTIVE":
                # The service's own times: from the request to the switch, whatever this loop's pace.
                took = max(0.001, (instant(current["switchedAt"]) - instant(current["requestedAt"]))
                           .total_seconds())
                print(f"switched over: generation {number} is active, {events:,} events read in "
                      f"{took:.1f} s ({events / took:,.0f}/s), lag {lag_text}")
                if replaced:
                    print("  generation " + ", ".join(map(str, replaced))
                          + " retired; its schema is dropped in a moment")
                return 0
            rate = (events - last_events) / (now - last_time)
            print(f"  generation {number}: {events:,} events read, {rate:,.0f}/s, lag {lag_text}")
            if events != last_events or current["state"] != last_state:
                last_progress = now
            last_events, last_time, last_state = events, now, current["state"]
        if now - last_progress >= options.patience and unanswered:
            print(f"stopped following: the service has not answered for {span(options.patience)} "
                  f"(ASYNCSHOP_REPLAY_PATIENCE sets how long, in seconds); generation {number} goes "
                  f"on there once it is back, {last_events:,} events read when it last answered\n"
                  + look_with(url), file=sys.stderr)
            return 1
        if now - last_progress >= options.patience:
            print(f"stopped following: no progress in {span(options.patience)} "
                  f"(ASYNCSHOP_REPLAY_PATIENCE sets how long, in seconds); generation {number} goes "
                  f"on in the service, {last_events:,} events read so far. Perhaps no instance "
                  f"writes it (gauge messaging_projection_writing) or a handler keeps failing (the "
                  f"service's log)\n" + look_with(url), file=sys.stderr)
            return 1


def ended(projection, number, current, events):
    """Says how a generation that is no longer building or active got there, and the exit status."""
    newer = [g for g in projection["generations"] if g["number"] > number and g["state"] == "ACTIVE"]
    if current is not None and current.get("switchedAt"):
        print(f"switched over: generation {number} became active at {current['switchedAt']}, "
              f"{events:,} events read; a newer rebuild has replaced it since")
        return 0
    if current is None and newer:
        # Retired by a switch or by a DELETE: both happened between two looks, and the service
        # keeps no retired generation to tell them apart.
        print(f"generation {number} is gone and generation {newer[0]['number']} (requested by "
              f"{newer[0]['requestedBy']}) is active: {number} was given up, or switched over to "
              f"and replaced, too quickly to tell", file=sys.stderr)
        return 1
    # Only a DELETE retires a generation that was never switched over to.
    active = next((g["number"] for g in projection["generations"] if g["state"] == "ACTIVE"), None)
    print(f"rebuild given up: generation {number} was retired before it caught up "
          f"({events:,} events read); "
          + ("no generation is active" if active is None else f"generation {active} stays active"),
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    # Each line as it is printed, also through a pipe (| tee), not in one piece at the end.
    sys.stdout.reconfigure(line_buffering=True)
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\nstopped following; the rebuild goes on in the service", file=sys.stderr)
        sys.exit(130)
