import Foundation
import NightshiftCore

/// One `CronJob` per registry job, and the `ConfigMap` holding the suite's config file. Secrets
/// (`DATABASE_URL`, `SMTP_PASSWORD`) come from a Secret the operator creates, never from here.
///
/// A CronJob may start a job twice or not at all (the controller's guarantee is "about once"):
/// every job takes its advisory lock (a second start records `skipped`), writes under unique keys,
/// and catches up what an earlier start did not do, so either way one set of results.
public struct KubernetesManifests {
    public var image: String
    public var namespace: String
    public var timeZone: TimeZone
    /// The config file's text for the ConfigMap (`{}` when the install has none).
    public var configJSON: String
    public var secretName = "nightshift-secrets"
    public var dataClaim = "nightshift-data"
    /// Seconds between SIGTERM and SIGKILL: the unit of work in progress commits.
    public var terminationGrace = 90

    public init(image: String, namespace: String, timeZone: TimeZone, configJSON: String) {
        self.image = image
        self.namespace = namespace
        self.timeZone = timeZone
        self.configJSON = configJSON
    }

    public static func name(_ job: ScheduledJob) -> String { "nightshift-\(job.name)" }

    public func yaml(_ jobs: [ScheduledJob] = JobRegistry.jobs) -> String {
        ([configMap()] + jobs.map(cronJob)).map { "---\n" + $0 }.joined()
    }

    /// A YAML scalar: JSON's quoting is valid YAML.
    static func quoted(_ text: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self).dropFirst().dropLast().description
    }

    func labels(_ component: String, indent: String) -> String {
        """
        \(indent)app.kubernetes.io/name: nightshift
        \(indent)app.kubernetes.io/component: \(Self.quoted(component))
        """
    }

    func configMap() -> String {
        let body = configJSON.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n")
        return """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: nightshift-config
          namespace: \(Self.quoted(namespace))
          labels:
        \(labels("config", indent: "    "))
        data:
          config.json: |
        \(body)

        """
    }

    func cronJob(_ job: ScheduledJob) -> String {
        // Counting missed schedules only inside this window keeps the controller far from the
        // 100 missed schedules after which it stops scheduling the CronJob.
        let deadline = min(job.grace, Int(job.schedule.longestGap(from: Date(timeIntervalSince1970: 0), in: timeZone)) - 1)
        let arguments = job.arguments.map(Self.quoted).joined(separator: ", ")
        return """
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: \(Self.name(job))
          namespace: \(Self.quoted(namespace))
          labels:
        \(labels(job.name, indent: "    "))
          annotations:
            nightshift/summary: \(Self.quoted(job.summary))
        spec:
          schedule: \(Self.quoted(job.schedule.expression))
          timeZone: \(Self.quoted(timeZone.identifier))
          concurrencyPolicy: Forbid
          startingDeadlineSeconds: \(deadline)
          successfulJobsHistoryLimit: 3
          failedJobsHistoryLimit: 5
          jobTemplate:
            metadata:
              labels:
        \(labels(job.name, indent: "        "))
            spec:
              backoffLimit: 2
              activeDeadlineSeconds: \(job.maxDuration)
              ttlSecondsAfterFinished: 604800
              podFailurePolicy:
                rules:
                  # A usage or configuration error fails the same way on every retry.
                  - action: FailJob
                    onExitCodes:
                      containerName: job
                      operator: In
                      values: [64, 78]
                  # A node drained or a pod preempted is not the job's failure.
                  - action: Ignore
                    onPodConditions:
                      - type: DisruptionTarget
              template:
                metadata:
                  labels:
        \(labels(job.name, indent: "            "))
                spec:
                  restartPolicy: Never
                  terminationGracePeriodSeconds: \(terminationGrace)
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: 10001
                    fsGroup: 10001
                  containers:
                    - name: job
                      image: \(Self.quoted(image))
                      command: [\(Self.quoted("/opt/nightshift/bin/" + job.executable))]
                      args: [\(arguments)]
                      env:
                        - name: NIGHTSHIFT_CONFIG
                          value: /etc/nightshift/config.json
                        - name: LOG_DIR
                          value: /var/log/nightshift
                        - name: OUTPUT_DIR
                          value: /var/lib/nightshift/output
                        - name: BACKUP_DIR
                          value: /var/lib/nightshift/backups
                        - name: DATABASE_URL
                          valueFrom:
                            secretKeyRef:
                              name: \(secretName)
                              key: DATABASE_URL
                        - name: SMTP_PASSWORD
                          valueFrom:
                            secretKeyRef:
                              name: \(secretName)
                              key: SMTP_PASSWORD
                              optional: true
                      resources:
                        requests:
                          cpu: 100m
                          memory: 128Mi
                        limits:
                          memory: 512Mi
                      securityContext:
                        allowPrivilegeEscalation: false
                        readOnlyRootFilesystem: true
                        capabilities:
                          drop: [ALL]
                      volumeMounts:
                        - name: config
                          mountPath: /etc/nightshift
                          readOnly: true
                        - name: data
                          mountPath: /var/lib/nightshift
                        - name: logs
                          mountPath: /var/log/nightshift
                        - name: tmp
                          mountPath: /tmp
                  volumes:
                    - name: config
                      configMap:
                        name: nightshift-config
                    - name: data
                      persistentVolumeClaim:
                        claimName: \(dataClaim)
                    - name: logs
                      emptyDir: {}
                    - name: tmp
                      emptyDir: {}

        """
    }
}
