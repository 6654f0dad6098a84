// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the fixtures are files that contain `${VAR}` literally.
import { describe, expect, it } from 'vitest';
import { parserFor } from './declarations.js';
import * as parse from './parse.js';
import { parseWorkflow } from './workflows.js';

/** `product declared @line` for compact comparison. */
function brief(declarations: { product: string; declared: string; line: number }[]): string[] {
  return declarations.map((item) => `${item.product} ${item.declared} @${item.line}`);
}

describe('version files and manifests', () => {
  it('reads version files, skipping comments and blank lines', () => {
    expect(brief(parse.parseVersionFile('\n# pinned\nv20.11.1\n', 'nodejs', '.nvmrc'))).toEqual([
      'nodejs v20.11.1 @3',
    ]);
    expect(brief(parse.parseVersionFile('3.12.1\n3.11\n', 'python', '.python-version', true))).toEqual([
      'python 3.12.1 @1',
      'python 3.11 @2',
    ]);
    expect(parse.parseVersionFile('\n\n', 'ruby', '.ruby-version')).toEqual([]);
  });

  it('finds the line of engines.node, not of another "node" key', () => {
    const text = '{\n  "name": "node",\n  "engines": {\n    "npm": ">=10",\n    "node": ">=20"\n  }\n}\n';
    expect(parse.parsePackageJson(text, 'package.json')).toEqual([
      { product: 'nodejs', declared: '>=20', source: 'package.json engines.node', line: 5 },
    ]);
    expect(parse.parsePackageJson('{"engines": {"node": "^18"}}', 'package.json')[0]?.line).toBe(1);
    expect(parse.parsePackageJson('{"name": "x"}', 'package.json')).toEqual([]);
  });

  it('turns malformed JSON into a coded error with the file', () => {
    expect(() => parse.parsePackageJson('{"engines": ', 'web/package.json')).toThrowError(
      expect.objectContaining({ code: 'RUNTIME_FILE_MALFORMED', location: { path: 'web/package.json' } }),
    );
  });

  it('reads composer.json, global.json, pyproject.toml, .tool-versions and go.mod', () => {
    expect(
      brief(parse.parseComposerJson('{\n "require": {\n  "php": "^8.1"\n }\n}', 'composer.json')),
    ).toEqual(['php ^8.1 @3']);
    expect(
      brief(parse.parseGlobalJson('{\n  "sdk": {\n    "version": "8.0.100"\n  }\n}', 'global.json')),
    ).toEqual(['dotnet 8.0.100 @3']);
    const pyproject =
      '[project]\nname = "x"\nrequires-python = ">=3.10"\n\n[tool.poetry.dependencies]\npython = "^3.9"\n[tool.other]\npython = "3.1"\n';
    expect(brief(parse.parsePyproject(pyproject))).toEqual(['python >=3.10 @3', 'python ^3.9 @6']);
    expect(
      brief(
        parse.parseToolVersions(
          'nodejs 20.11.1 18.19.0\n# comment\ngolang 1.22.1\nterraform 1.7.0\njava temurin-17.0.9+9\n',
        ),
      ),
    ).toEqual(['nodejs 20.11.1 @1', 'go 1.22.1 @3', 'java temurin-17.0.9+9 @5']);
    expect(brief(parse.parseGoMod('module example.test/x\n\ngo 1.21\n\ntoolchain go1.22.3\n'))).toEqual([
      'go 1.21 @3',
      'go go1.22.3 @5',
    ]);
  });

  it('reads .NET target frameworks and Java levels', () => {
    const project =
      '<Project>\n  <PropertyGroup>\n    <TargetFrameworks>net8.0;net48;netstandard2.0;net6.0-windows</TargetFrameworks>\n  </PropertyGroup>\n</Project>\n';
    expect(brief(parse.parseProjectFile(project, 'App.csproj'))).toEqual([
      'dotnet net8.0 @3',
      'dotnet net6.0-windows @3',
    ]);
    expect(
      brief(
        parse.parsePom(
          '<properties>\n  <java.version>17</java.version>\n  <x>${java.version}</x>\n</properties>',
        ),
      ),
    ).toEqual(['java 17 @2']);
    expect(
      brief(
        parse.parseGradle(
          'java {\n  toolchain { languageVersion = JavaLanguageVersion.of(21) }\n}\nsourceCompatibility = JavaVersion.VERSION_1_8\n',
          'build.gradle',
        ),
      ),
    ).toEqual(['java 21 @2', 'java 1.8 @4']);
  });
});

describe('parseDockerfile', () => {
  it('reads FROM lines with platforms, stages, digests, registries and base distributions', () => {
    const text = [
      'ARG NODE_VERSION=20',
      'FROM --platform=$BUILDPLATFORM node:${NODE_VERSION}-alpine AS build',
      'FROM build AS test',
      'FROM python:3.11-slim-bookworm@sha256:0123abcd',
      'FROM golang:1.22',
      'FROM eclipse-temurin:17-jre-jammy',
      'from docker.io/library/ruby:3.2',
      'FROM php:8.1-fpm',
      'FROM debian:bullseye',
      'FROM ubuntu:20.04',
      'FROM alpine:3.18',
      'FROM mcr.microsoft.com/dotnet/aspnet:6.0',
      'FROM registry.example.test:5000/team/node:18',
      'FROM node',
      'FROM scratch',
      'FROM node:20-alpine3.18',
    ].join('\n');
    expect(brief(parse.parseDockerfile(text, 'Dockerfile'))).toEqual([
      'nodejs ${NODE_VERSION}-alpine @2',
      'python 3.11-slim-bookworm @4',
      'debian bookworm @4',
      'go 1.22 @5',
      'java 17-jre-jammy @6',
      'ubuntu jammy @6',
      'ruby 3.2 @7',
      'php 8.1-fpm @8',
      'debian bullseye @9',
      'ubuntu 20.04 @10',
      'alpine 3.18 @11',
      'dotnet 6.0 @12',
      'nodejs latest @14',
      'nodejs 20-alpine3.18 @16',
      'alpine 3.18 @16',
    ]);
  });

  it.each([
    ['node', 'nodejs'],
    ['library/python', 'python'],
    ['public.ecr.aws/docker/library/golang', 'go'],
    // Namespaces the end-of-life source names as the product's images.
    ['bitnami/node', 'nodejs'],
    ['someone/node', undefined],
    ['mcr.microsoft.com/dotnet/sdk', 'dotnet'],
    ['azul/zulu-openjdk', 'azul-zulu'],
    ['eclipse-temurin', 'java'],
    ['postgres', 'postgresql'],
    ['docker.io/library/redis', 'redis'],
    ['mongo', 'mongodb'],
  ])('image %s → %s', (name, product) => {
    expect(parse.imageProduct(name)).toBe(product);
  });
});

describe('parseImageReferences', () => {
  it('reads the images of compose services, Kubernetes containers and Terraform, as services', () => {
    const compose = [
      'services:', // 1
      '  db:', // 2
      '    image: postgres:11-alpine', // 3
      '  cache:', // 4
      '    image: "redis:6.2"', // 5
      '  app:', // 6
      '    image: ${APP_IMAGE}', // 7
      '  mongo:', // 8
      '    image: docker.io/library/mongo:4.4@sha256:abc # pinned', // 9
      '  other:', // 10
      '    image: someone/postgres:9', // 11
    ].join('\n');
    expect(parse.parseImageReferences(compose, 'compose.yaml')).toEqual([
      {
        product: 'postgresql',
        declared: '11-alpine',
        source: 'compose.yaml image postgres',
        line: 3,
        service: true,
      },
      { product: 'redis', declared: '6.2', source: 'compose.yaml image redis', line: 5, service: true },
      {
        product: 'mongodb',
        declared: '4.4',
        source: 'compose.yaml image docker.io/library/mongo',
        line: 9,
        service: true,
      },
    ]);
    const kubernetes = 'spec:\n  containers:\n    - name: db\n      image: mysql:5.7\n';
    expect(
      parse.parseImageReferences(kubernetes, 'db.yaml').map((item) => `${item.product} ${item.declared}`),
    ).toEqual(['mysql 5.7']);
    const terraform = 'resource "x" "y" {\n  image = "mariadb:10.3"\n}\n';
    expect(
      parse.parseImageReferences(terraform, 'main.tf').map((item) => `${item.product} ${item.declared}`),
    ).toEqual(['mariadb 10.3']);
  });
});

describe('parserFor', () => {
  it.each([
    ['docker-compose.yml', true],
    ['compose.prod.yaml', true],
    ['.gitlab-ci.yml', true],
    ['infra/main.tf', true],
    ['k8s/db.yaml', true],
    ['charts/api/templates/deployment.yaml', true],
    ['app/statefulset.yml', true],
    ['config/locales/en.yml', false],
    ['node_modules/x/compose.yaml', false],
  ])('%s is read for images: %s', (path, read) => {
    expect(parserFor(path) !== undefined).toBe(read);
  });
});

describe('parseWorkflow', () => {
  it('reads setup actions and expands matrices, each value on its own line', () => {
    const text = [
      'on: push', // 1
      'jobs:', // 2
      '  test:', // 3
      '    strategy:', // 4
      '      matrix:', // 5
      '        node: [18, 20]', // 6
      '        python:', // 7
      '          - 3.10', // 8
      '          - "3.12"', // 9
      '        include:', // 10
      '          - node: 22', // 11
      '    runs-on: ubuntu-latest', // 12
      '    steps:', // 13
      '      - uses: actions/setup-node@v4', // 14
      '        with:', // 15
      '          node-version: ${{ matrix.node }}', // 16
      '      - uses: actions/setup-python@v5', // 17
      '        with:', // 18
      '          python-version: ${{ matrix.python }}', // 19
      '      - uses: actions/setup-go@v5', // 20
      '        with:', // 21
      "          go-version: '1.22'", // 22
      '      - uses: actions/setup-java@v4', // 23
      '        with:', // 24
      '          java-version: ${{ inputs.java }}', // 25
      '      - uses: shivammathur/setup-php@v2', // 26
      '        with:', // 27
      '          php-version: 8.1', // 28
      '      - uses: ruby/setup-ruby@v1', // 29
      '        with:', // 30
      '          ruby-version: "3.2"', // 31
      '      - uses: actions/checkout@v4', // 32
    ].join('\n');
    expect(brief(parseWorkflow(text, '.github/workflows/ci.yml'))).toEqual([
      'nodejs 18 @6',
      'nodejs 20 @6',
      'nodejs 22 @11',
      'python 3.10 @8',
      'python 3.12 @9',
      'go 1.22 @22',
      'java ${{ inputs.java }} @25',
      'php 8.1 @28',
      'ruby 3.2 @31',
    ]);
  });

  it('turns malformed YAML into a coded error with the line', () => {
    expect(() => parseWorkflow('jobs:\n  a: [1, 2\n', '.github/workflows/bad.yml')).toThrowError(
      expect.objectContaining({ code: 'RUNTIME_FILE_MALFORMED' }),
    );
  });
});
