package dev.asyncshop.messaging.internal.asyncapi;

import dev.asyncshop.messaging.HandleMessage;
import dev.asyncshop.messaging.MessageType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.springframework.asm.ClassReader;
import org.springframework.asm.ClassVisitor;
import org.springframework.asm.MethodVisitor;
import org.springframework.asm.Opcodes;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.ClassUtils;

/**
 * What a service's own classes say about its messages: the records it handles (the parameter of
 * each {@link HandleMessage} method, and what a query handler returns), the {@link MessageType}
 * records it has, and which of those it constructs. A service sends a message it constructs and
 * receives one it handles; an inbound record is only ever built by the library, from the wire.
 *
 * <p>Only classes from the application's own class-path root are read (its {@code target/classes}
 * or jar), so test fixtures and libraries never appear in its document.
 *
 * @param handlers the handlers by message type
 * @param records the {@link MessageType} records by type
 * @param constructed the message types whose record the service's code constructs
 */
record ServiceClasses(
    Map<String, Handler> handlers, Map<String, Class<?>> records, Set<String> constructed) {

  /**
   * A {@link HandleMessage} method.
   *
   * @param payload the record it takes
   * @param reply what it returns, for a query; {@code null} for other handlers
   * @param group its consumer group; empty for the service's default
   * @param table it keeps a local table, read from the start of its topic with no group
   * @param projections the projections it writes, read from the start of the topic with no group;
   *     empty for any other handler (several projections may handle one type)
   */
  record Handler(
      Class<?> payload,
      @Nullable Class<?> reply,
      String group,
      boolean table,
      Set<String> projections) {

    /** The same type handled for one more projection. */
    Handler withProjectionsOf(Handler other) {
      Set<String> all = new TreeSet<>(projections);
      all.addAll(other.projections);
      return new Handler(payload, reply, group, table, Set.copyOf(all));
    }
  }

  /** Reads the classes under the application class's package, from the application's own root. */
  static ServiceClasses of(Class<?> application) {
    String root = root(application);
    String packagePath = ClassUtils.classPackageAsResourcePath(application);
    Map<String, Handler> handlers = new TreeMap<>();
    Map<String, Class<?>> records = new TreeMap<>();
    Set<String> constructedClasses = new HashSet<>();
    for (Resource resource : classFiles(application.getClassLoader(), packagePath)) {
      if (!location(resource).startsWith(root)) {
        continue;
      }
      ClassReader reader = reader(resource);
      constructedClasses.addAll(constructedBy(reader));
      Class<?> type = load(reader.getClassName().replace('/', '.'), application.getClassLoader());
      if (type == null) {
        continue;
      }
      MessageType messageType = type.getAnnotation(MessageType.class);
      if (messageType != null) {
        records.put(messageType.value(), type);
      }
      for (Method method : declaredMethods(type)) {
        HandleMessage handle = method.getAnnotation(HandleMessage.class);
        if (handle != null && method.getParameterCount() >= 1) {
          Class<?> payload = method.getParameterTypes()[0];
          MessageType handled = payload.getAnnotation(MessageType.class);
          if (handled != null) {
            Class<?> reply = method.getReturnType() == void.class ? null : method.getReturnType();
            Handler handler =
                new Handler(
                    payload,
                    reply,
                    handle.group(),
                    handle.table(),
                    handle.projection().isEmpty() ? Set.of() : Set.of(handle.projection()));
            handlers.merge(
                handled.value(),
                handler,
                (one, other) ->
                    one.projections().isEmpty() || other.projections().isEmpty()
                        ? (one.projections().isEmpty() ? one : other)
                        : one.withProjectionsOf(other));
          }
        }
      }
    }
    Set<String> constructed = new HashSet<>();
    records.forEach(
        (messageType, type) -> {
          if (constructedClasses.contains(type.getName().replace('.', '/'))) {
            constructed.add(messageType);
          }
        });
    return new ServiceClasses(handlers, records, Set.copyOf(constructed));
  }

  /** The URL of the class-path root (directory or jar) that the class was loaded from. */
  static String root(Class<?> application) {
    String classFile = ClassUtils.convertClassNameToResourcePath(application.getName()) + ".class";
    URL own = application.getClassLoader().getResource(classFile);
    if (own == null) {
      throw new IllegalStateException("Cannot find the class file of " + application.getName());
    }
    return own.toString().substring(0, own.toString().length() - classFile.length());
  }

  private static List<Resource> classFiles(ClassLoader loader, String packagePath) {
    try {
      Resource[] found =
          new PathMatchingResourcePatternResolver(loader)
              .getResources("classpath*:" + packagePath + "/**/*.class");
      // Sorted, so that the document does not depend on the order of the file system.
      return java.util.Arrays.stream(found)
          .sorted(Comparator.comparing(ServiceClasses::location))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String location(Resource resource) {
    try {
      return resource.getURL().toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ClassReader reader(Resource resource) {
    try (InputStream in = resource.getInputStream()) {
      return new ClassReader(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The internal names of the classes whose instances the class creates with {@code new}. */
  private static Set<String> constructedBy(ClassReader reader) {
    Set<String> created = new HashSet<>();
    reader.accept(
        new ClassVisitor(Opcodes.ASM9) {
          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitTypeInsn(int opcode, String type) {
                if (opcode == Opcodes.NEW) {
                  created.add(type);
                }
              }
            };
          }
        },
        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return created;
  }

  private static @Nullable Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      // A class that needs an absent optional library cannot be a message or a handler here.
      return null;
    }
  }

  private static Method[] declaredMethods(Class<?> type) {
    try {
      return type.getDeclaredMethods();
    } catch (LinkageError e) {
      return new Method[0];
    }
  }
}
