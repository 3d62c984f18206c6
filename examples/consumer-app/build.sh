#!/usr/bin/env bash
# Proves the construct library works from a Maven repository:
#   1. builds the repository (skipping tests) and deploys s3scanner-cdk (jar, sources, javadoc,
#      pom) and its parent pom to a file-based repository: cdk/target/repo
#   2. builds this separate project against that repository (its test synthesizes a stack with
#      FairQueue alone and one with the whole ScannerPipeline)
#   3. runs the consumer app, which synthesizes both stacks into examples/consumer-app/cdk.out
# Usage (from anywhere): examples/consumer-app/build.sh [--skip-build]   (about 3-5 minutes)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REPO="$ROOT/cdk/target/repo"
VERSION="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$ROOT/pom.xml" | head -n 1)"
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
DEPLOY=org.apache.maven.plugins:maven-deploy-plugin:3.1.4:deploy-file

if [[ "${1:-}" != "--skip-build" ]]; then
  (cd "$ROOT" && mvn -B -q -pl cdk -am -DskipTests package)
fi
JAR="$ROOT/cdk/target/s3scanner-cdk-$VERSION.jar"
for f in "$JAR" "${JAR%.jar}-sources.jar" "${JAR%.jar}-javadoc.jar"; do
  [[ -f "$f" ]] || { echo "missing $f: build the repository first" >&2; exit 1; }
done

rm -rf "$REPO"
# deploy with the consumer's private local repository, so nothing lands in the shared ~/.m2
PRIVATE=(-s "$HERE/settings.xml" -Dmaven.repo.local="$HERE/target/m2"
         -Ds3scanner.repo.url="file://$REPO" -Dshared.m2.url="file://$HOME/.m2/repository")
(cd "$ROOT" && mvn -B -q -N "${PRIVATE[@]}" $DEPLOY -Dfile=pom.xml -DpomFile=pom.xml -Dpackaging=pom \
    -Durl="file://$REPO" -DrepositoryId=file-repo)
(cd "$ROOT" && mvn -B -q -N "${PRIVATE[@]}" $DEPLOY -Dfile="$JAR" -DpomFile=cdk/pom.xml \
    -Dsources="${JAR%.jar}-sources.jar" -Djavadoc="${JAR%.jar}-javadoc.jar" \
    -Durl="file://$REPO" -DrepositoryId=file-repo)
echo "deployed to $REPO:"
(cd "$REPO" && find . -name '*.jar' | sort)

MVN=(mvn -B -q -f "$HERE/pom.xml" "${PRIVATE[@]}" -Ds3scanner.version="$VERSION")
rm -rf "$HERE/target/m2/dev/s3scanner"
"${MVN[@]}" package
"${MVN[@]}" dependency:build-classpath -Dmdep.outputFile="$HERE/target/classpath.txt" -Dmdep.includeScope=runtime
rm -rf "$HERE/cdk.out"
(cd "$HERE" && CDK_OUTDIR="$HERE/cdk.out" java -cp "target/classes:$(cat target/classpath.txt)" com.example.scanning.ConsumerApp)
for stack in TeamQueue TeamScanner; do
  [[ -s "$HERE/cdk.out/$stack.template.json" ]] || { echo "no template for $stack" >&2; exit 1; }
done
echo "consumer app synthesized: $(cd "$HERE/cdk.out" && ls ./*.template.json | tr '\n' ' ')"
