package dev.asyncshop.messaging.testkit.example;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small service whose handlers the kit's own tests drive. */
@SpringBootApplication
public class ExampleApplication {}
