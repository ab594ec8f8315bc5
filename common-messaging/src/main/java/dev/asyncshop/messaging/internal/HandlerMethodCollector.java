package dev.asyncshop.messaging.internal;

import dev.asyncshop.messaging.Envelope;
import dev.asyncshop.messaging.HandleMessage;
import java.lang.reflect.Method;
import java.util.Map;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/** Finds {@link HandleMessage} methods on beans and registers them. */
final class HandlerMethodCollector implements BeanPostProcessor {

  private final HandlerRegistry registry;
  private final String defaultGroup;

  HandlerMethodCollector(HandlerRegistry registry, String defaultGroup) {
    this.registry = registry;
    this.defaultGroup = defaultGroup;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> targetClass = AopUtils.getTargetClass(bean);
    Map<Method, HandleMessage> methods =
        MethodIntrospector.selectMethods(
            targetClass,
            (MethodIntrospector.MetadataLookup<HandleMessage>)
                method -> AnnotatedElementUtils.findMergedAnnotation(method, HandleMessage.class));
    methods.forEach((method, annotation) -> registry.register(toHandler(bean, method, annotation)));
    return bean;
  }

  private HandlerMethod toHandler(Object bean, Method method, HandleMessage annotation) {
    Class<?>[] parameters = method.getParameterTypes();
    boolean valid =
        parameters.length == 1 || (parameters.length == 2 && parameters[1] == Envelope.class);
    if (!valid) {
      throw new InvalidRouteException(
          "@HandleMessage method "
              + method
              + " must take the message record, optionally followed by its Envelope");
    }
    String type = MessageTypes.of(parameters[0]);
    String projection = annotation.projection();
    if (!projection.isEmpty() && (annotation.table() || !annotation.group().isEmpty())) {
      throw new InvalidRouteException(
          "@HandleMessage method "
              + method
              + " is part of projection '"
              + projection
              + "', which reads its topic with no consumer group and keeps no local table; drop"
              + " group and table");
    }
    if (!projection.isEmpty() && !projection.matches("[a-z][a-z0-9-]{0,39}")) {
      throw new InvalidRouteException(
          ("Projection '%s' of %s: a projection's name is lower-case letters, digits and hyphens,"
                  + " starting with a letter, at most 40 characters (it names database schemas)")
              .formatted(projection, method));
    }
    String group =
        !projection.isEmpty()
            ? projection
            : annotation.group().isEmpty() ? defaultGroup : annotation.group();
    Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
    return new HandlerMethod(
        bean, invocable, parameters[0], type, group, annotation.table(), !projection.isEmpty());
  }
}
