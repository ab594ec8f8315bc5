package dev.asyncshop.console.overview;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class OverviewController {

  private final Overview overview;

  OverviewController(Overview overview) {
    this.overview = overview;
  }

  @GetMapping("/")
  String overview(Model model) {
    model.addAttribute("services", overview.read());
    return "overview";
  }
}
