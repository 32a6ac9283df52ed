import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates Kafka topics with a given number of partitions (kcat cannot, and the broker's jars have no topic tool).
 * Run as a single source file on the broker's classpath (scripts/services.sh resolves it):
 * {@code java -cp "$(cat <services dir>/kafka/classpath.txt)" deploy/test/KafkaTopics.java BROKERS NAME:PARTITIONS[:KEY=VALUE,...]...}
 */
public class KafkaTopics {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: KafkaTopics BROKERS NAME:PARTITIONS[:KEY=VALUE,...]...");
            System.exit(2);
        }
        List<NewTopic> topics = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String[] p = args[i].split(":", 3);
            NewTopic topic = new NewTopic(p[0], p.length > 1 ? Integer.parseInt(p[1]) : 1, (short) 1);
            if (p.length > 2) { // topic configs, e.g. retention.ms=-1,cleanup.policy=delete
                java.util.Map<String, String> configs = new java.util.HashMap<>();
                for (String kv : p[2].split(",")) {
                    String[] e = kv.split("=", 2);
                    configs.put(e[0], e[1]);
                }
                topic.configs(configs);
            }
            topics.add(topic);
        }
        try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000))) {
            admin.createTopics(topics).all().get();
            for (NewTopic t : topics) {
                System.out.println("created " + t.name() + " (" + t.numPartitions() + " partitions)");
            }
        }
    }
}
