package dev.asyncshop.console.parking;

import dev.asyncshop.console.services.ServiceProblem;
import dev.asyncshop.console.services.Services;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriBuilder;

/** The services' parking lots through their {@code /ops/dead-letters} API, as the operator. */
@Component
class ParkingLots {

  /** The largest page a service serves: its bulk limit. */
  static final int MAX_PAGE = 500;

  private static final String PATH = "/ops/dead-letters";

  private final Services services;

  ParkingLots(Services services) {
    this.services = services;
  }

  List<String> serviceNames() {
    return services.names();
  }

  /**
   * A page of the chosen services' lots merged newest first. Each service pages on its own, so page
   * {@code p} of the merge needs the first {@code (p + 1) * size} of every service; that is bounded
   * by what one request may ask for, past which the operator narrows to one service.
   */
  MergedPage list(ParkingLotFilter filter, int page, int size) {
    List<String> chosen = filter.oneService() ? List.of(filter.service()) : services.names();
    boolean single = chosen.size() == 1;
    int wanted = single ? size : (page + 1) * size;
    boolean beyondReach = wanted > MAX_PAGE;
    List<Parked> items = new ArrayList<>();
    long total = 0;
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Long> byService = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String service : chosen) {
      ParkedPage answer;
      try {
        answer =
            services.call(
                service,
                client ->
                    client
                        .get()
                        .uri(
                            uri ->
                                withQuery(uri.path(PATH), filter.query())
                                    .queryParam("page", single ? page : 0)
                                    .queryParam("size", Math.min(wanted, MAX_PAGE))
                                    .build(filter.query()))
                        .retrieve()
                        .body(ParkedPage.class));
      } catch (ServiceProblem e) {
        problems.add(e.words());
        continue;
      }
      if (answer == null) {
        continue;
      }
      answer.items().forEach(item -> items.add(new Parked(service, item)));
      total += answer.total();
      byService.put(service, answer.total());
      answer.countsByReason().forEach((reason, count) -> byReason.merge(reason, count, Long::sum));
    }
    List<Parked> shown = items;
    if (!single) {
      items.sort(Comparator.comparing((Parked parked) -> parked.summary().parkedAt()).reversed());
      int from = Math.min(page * size, items.size());
      shown = beyondReach ? List.of() : items.subList(from, Math.min(from + size, items.size()));
    }
    return new MergedPage(
        List.copyOf(shown), page, size, total, byReason, byService, problems, beyondReach);
  }

  ParkedMessage find(String service, String id) {
    return services.call(
        service,
        client -> client.get().uri(PATH + "/{id}", id).retrieve().body(ParkedMessage.class));
  }

  ActionResult replay(String service, String id) {
    return services.call(
        service,
        client -> client.post().uri(PATH + "/{id}/replay", id).retrieve().body(ActionResult.class));
  }

  /** Replaces the payload; a payload that does not fit the type is refused with a 422. */
  ParkedMessage edit(String service, String id, String payload) {
    return services.call(
        service,
        client ->
            client
                .put()
                .uri(PATH + "/{id}/payload", id)
                .contentType(MediaType.APPLICATION_JSON)
                .body(payload)
                .retrieve()
                .body(ParkedMessage.class));
  }

  ActionResult purge(String service, String id) {
    return services.call(
        service,
        client -> client.delete().uri(PATH + "/{id}", id).retrieve().body(ActionResult.class));
  }

  /** Replays or purges what the filter matches in each chosen service, or says what it would. */
  List<ServiceBulk> bulk(BulkAction action, ParkingLotFilter filter, boolean dryRun) {
    List<String> chosen = filter.oneService() ? List.of(filter.service()) : services.names();
    List<ServiceBulk> answers = new ArrayList<>();
    for (String service : chosen) {
      answers.add(bulk(service, action, Map.of("filter", filter.query(), "dryRun", dryRun)));
    }
    return answers;
  }

  /**
   * Replays or purges exactly these messages: what a dry run listed and the operator confirmed, not
   * whatever the filter matches by then.
   */
  List<ServiceBulk> bulk(BulkAction action, Map<String, List<String>> idsByService) {
    List<ServiceBulk> answers = new ArrayList<>();
    idsByService.forEach(
        (service, ids) -> answers.add(bulk(service, action, Map.of("ids", ids, "dryRun", false))));
    return answers;
  }

  private ServiceBulk bulk(String service, BulkAction action, Map<String, Object> request) {
    try {
      BulkResult result =
          services.call(
              service,
              client ->
                  client
                      .post()
                      .uri(PATH + "/" + action.path())
                      .contentType(MediaType.APPLICATION_JSON)
                      .body(request)
                      .retrieve()
                      .body(BulkResult.class));
      return new ServiceBulk(service, result, null);
    } catch (ServiceProblem e) {
      return new ServiceBulk(service, null, e.words());
    }
  }

  /** Values as URI variables, so each is encoded whole (a {@code +} stays a plus). */
  private static UriBuilder withQuery(UriBuilder uri, Map<String, String> query) {
    query.keySet().forEach(name -> uri.queryParam(name, "{" + name + "}"));
    return uri;
  }
}
