package dev.s3scanner.cdk;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * The deployable stack of {@link ScannerApp}: one {@link ScannerPipeline} plus the outputs an
 * operator needs (the reusable constructs emit no outputs themselves).
 */
public class ScannerStack extends Stack {

    private final ScannerPipeline pipeline;

    /**
     * @param scope the app
     * @param id stack id (also the default stack name)
     * @param stackProps stack settings (environment, description), may be {@code null}
     * @param pipelineProps the pipeline's settings
     */
    public ScannerStack(Construct scope, String id, StackProps stackProps, ScannerPipelineProps pipelineProps) {
        this(scope, id, stackProps, stack -> pipelineProps);
    }

    /**
     * For props that need the stack as scope first (e.g. imported buckets).
     *
     * @param scope the app
     * @param id stack id (also the default stack name)
     * @param stackProps stack settings, may be {@code null}
     * @param pipelineProps makes the pipeline's settings inside this stack
     */
    public ScannerStack(Construct scope, String id, StackProps stackProps,
                        java.util.function.Function<ScannerStack, ScannerPipelineProps> pipelineProps) {
        super(scope, id, stackProps);
        this.pipeline = new ScannerPipeline(this, "Scanner", pipelineProps.apply(this));
        CfnOutput.Builder.create(this, "ApiUrl").description("HTTP API base URL (IAM auth: sign requests with SigV4)")
                .value(pipeline.getApi().getApiEndpoint()).build();
        CfnOutput.Builder.create(this, "StateMachineArn").description("Listing state machine")
                .value(pipeline.getStateMachine().getStateMachineArn()).build();
        CfnOutput.Builder.create(this, "QueueUrl").description("Scan-task queue")
                .value(pipeline.getQueue().getQueue().getQueueUrl()).build();
        CfnOutput.Builder.create(this, "DeadLetterQueueUrl").description("Scan tasks that failed maxReceiveCount times")
                .value(pipeline.getQueue().getDeadLetterQueue().getQueueUrl()).build();
        CfnOutput.Builder.create(this, "DatabaseProxyEndpoint").description("RDS Proxy endpoint (TLS required)")
                .value(pipeline.getDatabase().getProxy().getEndpoint()).build();
        CfnOutput.Builder.create(this, "DashboardName").description("CloudWatch dashboard")
                .value(pipeline.getDashboard().getDashboardName()).build();
    }

    /** @return the pipeline */
    public ScannerPipeline getPipeline() {
        return pipeline;
    }
}
