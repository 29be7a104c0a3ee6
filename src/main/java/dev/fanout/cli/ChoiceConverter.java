package dev.fanout.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads an option whose value is one of an enum's constants, each written as its name in lower case with {@code -}
 * for {@code _} ({@code ACCEPT_NEW} is {@code accept-new}), in any letter case. Any other value is refused with the
 * choices as the user writes them: picocli's own enum conversion would list the Java names ({@code ACCEPT_NEW}) and
 * accept {@code accept_new}. A subclass names the enum, for {@code @Option(converter = ...)}.
 *
 * @param <E> the enum
 */
abstract class ChoiceConverter<E extends Enum<E>> implements ITypeConverter<E> {

    private final List<E> choices;

    ChoiceConverter(Class<E> type) {
        this.choices = Arrays.asList(type.getEnumConstants());
    }

    /** How a constant is written on the command line: {@code accept-new} for {@code ACCEPT_NEW}. */
    static String spelling(Enum<?> choice) {
        return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public E convert(String value) {
        for (E choice : choices) {
            if (spelling(choice).equalsIgnoreCase(value)) {
                return choice;
            }
        }
        throw refused(choices.stream().map(ChoiceConverter::spelling).toList(), value);
    }

    /** The error for a value that is none of {@code names}: {@code must be serial, ... or async, not 'turbo'}. */
    static TypeConversionException refused(List<String> names, String value) {
        return new TypeConversionException("must be " + alternatives(names) + ", not '" + value + "'");
    }

    /** {@code serial, platform, virtual or async}. */
    private static String alternatives(List<String> names) {
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
