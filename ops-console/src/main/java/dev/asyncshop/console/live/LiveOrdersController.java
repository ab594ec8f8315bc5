package dev.asyncshop.console.live;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@Controller
class LiveOrdersController {

  private final LiveOrders liveOrders;

  LiveOrdersController(LiveOrders liveOrders) {
    this.liveOrders = liveOrders;
  }

  @GetMapping("/orders")
  String orders(Model model) {
    model.addAttribute("changes", liveOrders.recent());
    return "orders";
  }

  @GetMapping(path = "/orders/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @ResponseBody
  SseEmitter stream() {
    return liveOrders.open();
  }
}
