package dev.asyncshop.messaging.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of a service's message handlers, with no broker and no database: only the components that
 * declare {@code @HandleMessage} methods (or the {@link #handlers} named) are scanned, with
 * common-messaging's pipeline on in-memory transports ({@link AutoConfigureInMemoryMessaging}) and
 * nothing else auto-configured. The handlers' other dependencies (repositories, clients) come from
 * the test: {@code @MockitoBean}s, or fakes it imports. Inject the {@link MessagingTestKit} to send
 * messages in and see what came of them.
 *
 * <pre>{@code
 * @MessagingTest(PaymentCommands.class)
 * class PaymentHandlerTests {
 *   @Autowired MessagingTestKit messaging;
 *   @MockitoBean Payments payments;
 *
 *   @Test
 *   void anAuthorizedPaymentIsPublished() {
 *     messaging.send(new AuthorizePayment("o-1", ...));
 *     assertThat(messaging.published(PaymentAuthorized.class)).singleElement()...;
 *   }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(MessagingTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(MessagingTypeExcludeFilter.class)
@AutoConfigureInMemoryMessaging
@ImportAutoConfiguration
public @interface MessagingTest {

  /** Properties to add to the environment, as {@code key=value}. */
  String[] properties() default {};

  /** Alias of {@link #handlers}. */
  @AliasFor("handlers")
  Class<?>[] value() default {};

  /** The handler components to scan; empty for every component with a handler method. */
  @AliasFor("value")
  Class<?>[] handlers() default {};

  /** Whether to scan handler components at all; off, only {@link #includeFilters} count. */
  boolean useDefaultFilters() default true;

  /** More components to scan. */
  Filter[] includeFilters() default {};

  /** Components to leave out. */
  Filter[] excludeFilters() default {};

  /** Auto-configurations to leave out. */
  @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
  Class<?>[] excludeAutoConfiguration() default {};
}
