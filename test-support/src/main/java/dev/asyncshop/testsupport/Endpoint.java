package dev.asyncshop.testsupport;

/** Where a broker or database answers, and with which credentials (empty where none). */
public record Endpoint(String host, int port, String username, String password) {}
