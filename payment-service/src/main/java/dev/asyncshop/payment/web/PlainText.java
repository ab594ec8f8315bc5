package dev.asyncshop.payment.web;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import org.jspecify.annotations.Nullable;

/**
 * Text a person could have typed: no control characters (NUL above all, which PostgreSQL cannot
 * store and which would otherwise surface as a server error) and no unpaired UTF-16 surrogate
 * (which no UTF-8 writer can encode faithfully). {@code null} is valid; pair with {@code @NotBlank}
 * where a value is required.
 */
@Documented
@Constraint(validatedBy = PlainText.Validator.class)
@Target({FIELD, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface PlainText {

  String message() default "must not contain control characters or unpaired surrogates";

  Class<?>[] groups() default {};

  Class<? extends Payload>[] payload() default {};

  /** Checks one value, character by character. */
  final class Validator implements ConstraintValidator<PlainText, CharSequence> {

    @Override
    public boolean isValid(@Nullable CharSequence value, ConstraintValidatorContext context) {
      if (value == null) {
        return true;
      }
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (Character.isISOControl(c) || Character.isLowSurrogate(c)) {
          return false;
        }
        if (Character.isHighSurrogate(c)) {
          if (i + 1 == value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
            return false;
          }
          i++;
        }
      }
      return true;
    }
  }
}
