package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The API is what the module exports, and nothing else leaks into it: no public or protected signature of an
 * exported type (supertypes, fields, constructors, methods, record components, thrown exceptions, type arguments)
 * names a type from a package the module does not export, nor from the drivers' libraries; only the Micrometer
 * binder names Micrometer's.
 */
class ApiSurfaceTest {

    private static final Path CLASSES = Path.of("target", "classes");

    /** Packages a signature may name besides the exported ones: the JDK's. */
    private static final List<String> ALLOWED_FOREIGN_PREFIXES = List.of("java.", "javax.");

    /** The one package whose signatures may name Micrometer's types: the binder, for applications that have it. */
    private static final String MICROMETER_BINDER = "dev.fanout.micrometer";

    @Test
    void exportsOnlyTheApiTheSpiTheFleetAndTheMicrometerBinder() throws IOException {
        assertEquals(Set.of("dev.fanout", "dev.fanout.error", "dev.fanout.spi", "dev.fanout.fleet", MICROMETER_BINDER),
                exportedPackages());
    }

    @Test
    void noPublicSignatureOfTheApiNamesAnInternalOrLibraryType() throws Exception {
        Set<String> exported = exportedPackages();
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : exportedTypes(exported)) {
            for (Type used : signatureTypes(type)) {
                for (Class<?> named : namedClasses(used, new HashSet<>())) {
                    String owner = named.getPackageName();
                    boolean micrometer = type.getPackageName().equals(MICROMETER_BINDER)
                            && owner.startsWith("io.micrometer.");
                    if (!named.isPrimitive() && !exported.contains(owner) && !micrometer
                            && ALLOWED_FOREIGN_PREFIXES.stream().noneMatch(owner::startsWith)) {
                        leaks.add(type.getName() + " names " + named.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), leaks.stream().distinct().sorted().toList());
    }

    private static Set<String> exportedPackages() throws IOException {
        try (var in = Files.newInputStream(CLASSES.resolve("module-info.class"))) {
            return ModuleDescriptor.read(in).exports().stream().filter(export -> !export.isQualified())
                    .map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Every public type of the exported packages, nested public types included. */
    private static List<Class<?>> exportedTypes(Set<String> packages) throws Exception {
        List<Class<?>> types = new ArrayList<>();
        for (String pkg : packages) {
            Path dir = CLASSES.resolve(pkg.replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    String name = file.getFileName().toString().replace(".class", "");
                    if (name.equals("package-info")) {
                        continue;
                    }
                    Class<?> type = Class.forName(pkg + "." + name, false,
                            ApiSurfaceTest.class.getClassLoader());
                    if (isVisible(type)) {
                        types.add(type);
                    }
                }
            }
        }
        return types;
    }

    /** Public, and (if nested) inside public types all the way out. */
    private static boolean isVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static List<Type> signatureTypes(Class<?> type) {
        List<Type> used = new ArrayList<>();
        if (type.getGenericSuperclass() != null) {
            used.add(type.getGenericSuperclass());
        }
        used.addAll(List.of(type.getGenericInterfaces()));
        for (Field field : type.getDeclaredFields()) {
            if (isApi(field.getModifiers(), type)) {
                used.add(field.getGenericType());
            }
        }
        List<Executable> executables = new ArrayList<>(List.of(type.getDeclaredMethods()));
        executables.addAll(List.<Constructor<?>>of(type.getDeclaredConstructors()));
        for (Executable executable : executables) {
            if (!isApi(executable.getModifiers(), type) || executable.isSynthetic()) {
                continue;
            }
            used.addAll(List.of(executable.getGenericParameterTypes()));
            used.addAll(List.of(executable.getGenericExceptionTypes()));
            if (executable instanceof Method method) {
                used.add(method.getGenericReturnType());
            }
        }
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                used.add(component.getGenericType());
            }
        }
        return used;
    }

    /** Public, or protected in a type that can be extended. */
    private static boolean isApi(int modifiers, Class<?> owner) {
        return Modifier.isPublic(modifiers)
                || (Modifier.isProtected(modifiers) && !Modifier.isFinal(owner.getModifiers()));
    }

    /** The classes a (generic) type names. */
    private static Set<Class<?>> namedClasses(Type type, Set<Type> seen) {
        Set<Class<?>> named = new HashSet<>();
        if (!seen.add(type)) {
            return named;
        }
        switch (type) {
            case Class<?> c -> named.add(c.isArray() ? c.componentType() : c);
            case ParameterizedType p -> {
                named.addAll(namedClasses(p.getRawType(), seen));
                for (Type argument : p.getActualTypeArguments()) {
                    named.addAll(namedClasses(argument, seen));
                }
            }
            case GenericArrayType a -> named.addAll(namedClasses(a.getGenericComponentType(), seen));
            case WildcardType w -> {
                Stream.of(w.getUpperBounds()).forEach(bound -> named.addAll(namedClasses(bound, seen)));
                Stream.of(w.getLowerBounds()).forEach(bound -> named.addAll(namedClasses(bound, seen)));
            }
            case TypeVariable<?> v ->
                Stream.of(v.getBounds()).forEach(bound -> named.addAll(namedClasses(bound, seen)));
            default -> throw new IllegalStateException("unknown kind of type: " + type);
        }
        return named;
    }
}
