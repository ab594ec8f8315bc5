"""Follows a projection's rebuild: ./asyncshop replay runs it once the service has accepted one.

Prints, each second, how far the new generation has read (events, rate, lag), and once readers are
switched over to it, the final count. Arguments: the projection's status URL, the Authorization
header, and the service's answer to the rebuild request (JSON).
"""

import json
from datetime import datetime
import sys
import time
import urllib.error
import urllib.request


def status(url, authorization):
    name, value = authorization.split(": ", 1)
    request = urllib.request.Request(url, headers={name: value, "Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def instant(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def generation(projection, number):
    return next((g for g in projection["generations"] if g["number"] == number), None)


def main():
    url, authorization, accepted = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    # The newest: the one asked for, even when it switched over before the answer was made.
    building = max(accepted["generations"], key=lambda g: g["number"])
    number = building["number"]
    print(f"generation {number} requested by {building['requestedBy']}; topics: "
          + ", ".join(accepted["topics"]))
    last_events, last_time = 0, time.monotonic()
    while True:
        time.sleep(1)
        try:
            projection = status(url, authorization)
        except urllib.error.HTTPError as e:
            print(f"the service refused to say how the rebuild goes: {e.code} {e.reason}")
            return 1
        except (urllib.error.URLError, OSError) as e:
            print(f"  the service does not answer ({e}); the rebuild goes on there, asking again")
            continue
        current = generation(projection, number)
        now = time.monotonic()
        if current is None:
            print(f"generation {number} is gone: a newer rebuild replaced it")
            return 1
        events = current["events"]
        rate = (events - last_events) / (now - last_time)
        last_events, last_time = events, now
        lag = current["lag"]
        lag_text = "unknown (Kafka did not answer)" if lag is None else f"{lag:,}"
        if current["state"] == "ACTIVE":
            # The service's own times: from the request to the switch, whatever this loop's pace.
            took = max(0.001, (instant(current["switchedAt"]) - instant(current["requestedAt"]))
                       .total_seconds())
            print(f"switched over: generation {number} is active, {events:,} events read in "
                  f"{took:.1f} s ({events / took:,.0f}/s), lag {lag_text}")
            older = [g["number"] for g in projection["generations"] if g["number"] != number]
            if older:
                print("  generation " + ", ".join(map(str, older))
                      + " retired; its schema is dropped in a moment")
            return 0
        print(f"  generation {number}: {events:,} events read, {rate:,.0f}/s, lag {lag_text}")


if __name__ == "__main__":
    sys.exit(main())
