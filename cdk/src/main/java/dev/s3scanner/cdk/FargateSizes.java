package dev.s3scanner.cdk;

/**
 * Valid Fargate task sizes (Linux), from the Amazon ECS Developer Guide, "Task CPU and memory"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size).
 */
final class FargateSizes {
    private FargateSizes() {
    }

    /**
     * @param cpu CPU units (1024 = 1 vCPU)
     * @param memoryMiB memory in MiB
     * @return {@code null} when the pair is a valid Fargate size, else a message naming both fields
     */
    static String check(int cpu, int memoryMiB) {
        boolean ok = switch (cpu) {
            case 256 -> memoryMiB == 512 || memoryMiB == 1024 || memoryMiB == 2048;
            case 512 -> between(memoryMiB, 1024, 4096, 1024);
            case 1024 -> between(memoryMiB, 2048, 8192, 1024);
            case 2048 -> between(memoryMiB, 4096, 16384, 1024);
            case 4096 -> between(memoryMiB, 8192, 30720, 1024);
            case 8192 -> between(memoryMiB, 16384, 61440, 4096);
            case 16384 -> between(memoryMiB, 32768, 122880, 8192);
            default -> false;
        };
        if (ok) {
            return null;
        }
        return "workerCpu " + cpu + " with workerMemoryMiB " + memoryMiB
                + " is not a Fargate task size (cpu 256, 512, 1024, 2048, 4096, 8192 or 16384 with its memory range)";
    }

    private static boolean between(int v, int lo, int hi, int step) {
        return v >= lo && v <= hi && (v - lo) % step == 0;
    }
}
