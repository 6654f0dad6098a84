import { describe, expect, it } from 'vitest';
import { extractGradleLockfile, extractPom } from './extract.js';

const pom = `<?xml version="1.0"?>
<project>
  <version>1.0.0</version>
  <properties><jackson.version>2.15.2</jackson.version></properties>
  <dependencyManagement>
    <dependencies>
      <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>2.0.9</version></dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <!-- <dependency><groupId>x</groupId></dependency> -->
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
      <version>\${jackson.version}</version>
    </dependency>
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-api</artifactId>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.2</version>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.inherited</groupId>
      <artifactId>from-parent</artifactId>
    </dependency>
  </dependencies>
</project>
`;

describe('pom.xml', () => {
  it('reads dependencies with properties, managed versions and scopes; reports unresolvable ones', () => {
    const { packages, warnings } = extractPom({ path: 'pom.xml', text: pom });
    expect(packages.map((item) => [item.name, item.version, item.scope, item.location.line])).toEqual([
      ['com.fasterxml.jackson.core:jackson-databind', '2.15.2', 'prod', 12],
      ['org.slf4j:slf4j-api', '2.0.9', 'prod', 17],
      ['junit:junit', '4.13.2', 'dev', 21],
    ]);
    expect(packages[0]?.purl).toBe('pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.2');
    expect(warnings).toMatchObject([{ code: 'LOCKFILE_ENTRY_SKIPPED', location: { line: 27 } }]);
  });

  it('rejects mismatched tags with the line', () => {
    expect(() => extractPom({ path: 'pom.xml', text: '<project>\n<a>\n</b>\n</project>' })).toThrowError(
      expect.objectContaining({ code: 'LOCKFILE_MALFORMED', location: { path: 'pom.xml', line: 3 } }),
    );
  });
});

describe('gradle.lockfile', () => {
  it('reads coordinates and tells test-only configurations', () => {
    const text =
      '# comment\ncom.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath\njunit:junit:4.13.2=testCompileClasspath\nempty=\n';
    const { packages } = extractGradleLockfile({ path: 'gradle.lockfile', text });
    expect(packages.map((item) => [item.name, item.version, item.scope, item.location.line])).toEqual([
      ['com.google.guava:guava', '32.1.2-jre', 'prod', 2],
      ['junit:junit', '4.13.2', 'dev', 3],
    ]);
  });
});
