/**
 * A stand-in AWS endpoint on 127.0.0.1 for the REAL aws CLI (v2): the CLI parses the scripts'
 * arguments, signs and sends the request here (--endpoint-url, added by a one-line wrapper on
 * PATH), and this records what arrived and answers like STS, IAM (query protocol, XML) and EKS
 * (REST-JSON). Nothing leaves the machine.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface AwsRequest {
  /** "sts:GetCallerIdentity", "iam:CreatePolicy", "eks:GET /clusters/NAME", ... */
  readonly call: string;
  readonly params: Record<string, string>;
}

export interface AwsState {
  /** The cluster exists while this file does (the eksctl stand-in creates and deletes it). */
  clusterMarker: string;
  policyExists: boolean;
  /** The API server describe-cluster names (update-kubeconfig writes it): a closed port unless a test sets a simulator's URL. */
  clusterEndpoint: string;
}

export const ACCOUNT = '111111111111';

/** A real AWS CLI v2 on this machine (Debian's awscli package installs /usr/bin/aws), or undefined. */
export function realAwsCliV2(): string | undefined {
  for (const candidate of [process.env.AWS_CLI_V2, '/usr/bin/aws', 'aws']) {
    if (!candidate) continue;
    const out = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (out.status === 0 && /^aws-cli\/2\./.test(out.stdout + out.stderr)) return candidate;
  }
  return undefined;
}

export const AWS_CLI_MISSING =
  "no AWS CLI v2 on this machine: install it (Debian: apt-get install awscli; .ci/run does) to run the scripts' aws calls through the real client";

const xml = (action: string, inner: string) =>
  `<${action}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${action}Result>${inner}</${action}Result><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></${action}Response>`;
const xmlError = (code: string) =>
  `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${code} (stand-in)</Message></Error><RequestId>r</RequestId></ErrorResponse>`;

export class AwsEndpoint {
  readonly requests: AwsRequest[] = [];
  readonly state: AwsState = { clusterMarker: '/nonexistent', policyExists: false, clusterEndpoint: 'https://127.0.0.1:9' };
  /** Inline policies (name -> JSON text) on each role, as IAM stores them. */
  readonly inlinePolicies: Record<string, Record<string, string>> = {};
  private roleInlinePolicies(role: string): Record<string, string> {
    return this.inlinePolicies[role] ?? {};
  }
  private server?: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => this.answer(req, body, res));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Writes bin/aws: the real CLI with --endpoint-url pointing here, and throwaway credentials. */
  installWrapper(bin: string, realAws: string): void {
    const file = path.join(bin, 'aws');
    writeFileSync(file, `#!/bin/sh\nexec '${realAws}' --endpoint-url '${this.url}' "$@"\n`);
    chmodSync(file, 0o755);
  }

  /** Environment for the real CLI: fake credentials, no config files, no metadata lookups. */
  env(home: string): Record<string, string> {
    return {
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      AWS_MAX_ATTEMPTS: '1',
    };
  }

  private answer(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.url);
    if (req.method === 'POST' && /x-www-form-urlencoded/.test(String(req.headers['content-type']))) {
      const params = Object.fromEntries(new URLSearchParams(body));
      const service = params.Version === '2011-06-15' ? 'sts' : 'iam';
      this.requests.push({ call: `${service}:${params.Action}`, params });
      return this.query(service, params, res);
    }
    this.requests.push({ call: `eks:${req.method} ${url.pathname}`, params: Object.fromEntries(url.searchParams) });
    const nodegroup = /^\/clusters\/([^/]+)\/node-groups\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && nodegroup) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({
          nodegroup: {
            nodegroupName: nodegroup[2],
            clusterName: nodegroup[1],
            nodeRole: `arn:aws:iam::${ACCOUNT}:role/node-role-${nodegroup[2]}`,
          },
        }),
      );
    }
    const cluster = /^\/clusters\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'GET' && cluster) {
      if (!existsSync(this.state.clusterMarker)) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        return void res.end(JSON.stringify({ message: `No cluster found for name: ${cluster[1]}.` }));
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({
          cluster: {
            name: cluster[1],
            arn: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/${cluster[1]}`,
            status: 'ACTIVE',
            endpoint: this.state.clusterEndpoint,
            certificateAuthority: {
              data: Buffer.from('-----BEGIN CERTIFICATE-----\nstand-in\n-----END CERTIFICATE-----\n').toString('base64'),
            },
          },
        }),
      );
    }
    res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': 'InvalidRequestException' });
    res.end(JSON.stringify({ message: `the stand-in endpoint does not know ${req.method} ${url.pathname}` }));
  }

  private query(service: string, p: Record<string, string>, res: http.ServerResponse): void {
    const ok = (text: string) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(text);
    };
    const fail = (status: number, code: string) => {
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(xmlError(code));
    };
    const policyXml = (name: string) =>
      `<Policy><PolicyName>${name}</PolicyName><Arn>arn:aws:iam::${ACCOUNT}:policy/${name}</Arn><DefaultVersionId>v1</DefaultVersionId></Policy>`;
    switch (`${service}:${p.Action}`) {
      case 'sts:GetCallerIdentity':
        return ok(
          `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/dev</Arn><UserId>AIDAEXAMPLE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
        );
      case 'iam:GetPolicy':
        return this.state.policyExists ? ok(xml('GetPolicy', policyXml(p.PolicyArn.split('/').pop()!))) : fail(404, 'NoSuchEntity');
      case 'iam:CreatePolicy':
        this.state.policyExists = true;
        return ok(xml('CreatePolicy', policyXml(p.PolicyName)));
      case 'iam:ListEntitiesForPolicy':
        return ok(
          xml(
            'ListEntitiesForPolicy',
            '<PolicyRoles><member><RoleName>my-role</RoleName><RoleId>AROAEXAMPLE</RoleId></member></PolicyRoles><PolicyGroups/><PolicyUsers/><IsTruncated>false</IsTruncated>',
          ),
        );
      case 'iam:DetachRolePolicy':
        return ok(xml('DetachRolePolicy', ''));
      case 'iam:ListPolicyVersions':
        return ok(
          xml(
            'ListPolicyVersions',
            '<Versions><member><VersionId>v2</VersionId><IsDefaultVersion>true</IsDefaultVersion></member><member><VersionId>v1</VersionId><IsDefaultVersion>false</IsDefaultVersion></member></Versions><IsTruncated>false</IsTruncated>',
          ),
        );
      case 'iam:DeletePolicyVersion':
        return ok(xml('DeletePolicyVersion', ''));
      case 'iam:ListAttachedRolePolicies':
        return ok(xml('ListAttachedRolePolicies', '<AttachedPolicies/><IsTruncated>false</IsTruncated>'));
      case 'iam:ListRolePolicies':
        return ok(
          xml(
            'ListRolePolicies',
            `<PolicyNames>${Object.keys(this.roleInlinePolicies(p.RoleName))
              .map((n) => `<member>${n}</member>`)
              .join('')}</PolicyNames><IsTruncated>false</IsTruncated>`,
          ),
        );
      case 'iam:GetRolePolicy': {
        const document = this.roleInlinePolicies(p.RoleName)[p.PolicyName];
        if (document === undefined) return fail(404, 'NoSuchEntity');
        return ok(
          xml(
            'GetRolePolicy',
            `<RoleName>${p.RoleName}</RoleName><PolicyName>${p.PolicyName}</PolicyName><PolicyDocument>${encodeURIComponent(document)}</PolicyDocument>`,
          ),
        );
      }
      case 'iam:DeletePolicy':
        this.state.policyExists = false;
        return ok(xml('DeletePolicy', ''));
      default:
        return fail(400, 'InvalidAction');
    }
  }
}
