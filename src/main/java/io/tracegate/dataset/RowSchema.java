package io.tracegate.dataset;

import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import java.util.List;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The columns of one row layout and its Parquet schema. {@code tag} is written as the Parquet key-value metadata
 * {@code tracegate.schema} (e.g. {@code triplet/3}, {@code verl/1}).
 */
record RowSchema(String tag, String messageName, List<Column> columns) {

  RowSchema {
    columns = List.copyOf(columns);
  }

  /**
   * Lists use the standard 3-level LIST encoding ({@code <name> (LIST) { repeated group list { element } }}), int
   * lists int32 elements, strings BINARY (STRING), JSON objects their JSON text, structs a group.
   */
  MessageType parquet() {
    Types.MessageTypeBuilder message = Types.buildMessage();
    for (Column c : columns) {
      message.addField(parquetType(c));
    }
    return message.named(messageName);
  }

  private static Type parquetType(Column c) {
    org.apache.parquet.schema.Type.Repetition repetition = c.required()
        ? org.apache.parquet.schema.Type.Repetition.REQUIRED : org.apache.parquet.schema.Type.Repetition.OPTIONAL;
    return switch (c.kind()) {
      case STRING, JSON_OBJECT -> Types.primitive(BINARY, repetition).as(stringType()).named(c.name());
      case LONG -> Types.primitive(INT64, repetition).named(c.name());
      case DOUBLE -> Types.primitive(DOUBLE, repetition).named(c.name());
      case BOOLEAN -> Types.primitive(BOOLEAN, repetition).named(c.name());
      case INT_LIST -> Types.list(repetition).requiredElement(INT32).named(c.name());
      case DOUBLE_LIST -> Types.list(repetition).optionalElement(DOUBLE).named(c.name());
      case STRING_LIST -> Types.list(repetition).requiredElement(BINARY).as(stringType()).named(c.name());
      case STRUCT -> {
        Types.GroupBuilder<org.apache.parquet.schema.GroupType> group = Types.buildGroup(repetition);
        for (Column f : c.fields()) {
          group.addField(parquetType(f));
        }
        yield group.named(c.name());
      }
    };
  }
}
