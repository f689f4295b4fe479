package org.ffspark;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Compares written Parquet with its Avro schema in {@code data-schemas/}: both as the list "name:type" in column
 * order, with the Avro types mapped to the Spark types ffspark writes for them.
 */
public final class ParquetSchema {
    private ParquetSchema() {}

    /** The columns an Avro schema file in data-schemas/ prescribes. */
    public static List<String> expected(String avsc) {
        List<String> out = new ArrayList<>();
        SchemaCheck.schema(avsc).get("fields").forEach(f -> out.add(f.get("name").asText() + ":" + sparkType(f.get("type")).simpleString()));
        return out;
    }

    /** The columns of a data set as read back. */
    public static List<String> actual(Dataset<Row> df) {
        List<String> out = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            out.add(f.name() + ":" + f.dataType().simpleString());
        }
        return out;
    }

    static DataType sparkType(JsonNode avro) {
        if (avro.isArray()) { // a nullable union ["null", T]
            return sparkType(avro.get(1));
        }
        if (avro.isObject()) {
            return switch (avro.get("type").asText()) {
                case "array" -> new ArrayType(sparkType(avro.get("items")), true);
                case "enum" -> DataTypes.StringType;
                default -> throw new IllegalArgumentException(avro.toString());
            };
        }
        return switch (avro.asText()) {
            case "long" -> DataTypes.LongType;
            case "int" -> DataTypes.IntegerType;
            case "float" -> DataTypes.FloatType;
            case "double" -> DataTypes.DoubleType;
            case "bytes" -> DataTypes.BinaryType;
            case "string" -> DataTypes.StringType;
            default -> throw new IllegalArgumentException(avro.asText());
        };
    }
}
