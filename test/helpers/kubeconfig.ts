// A minimal kubeconfig whose one context points at a server nothing needs to answer.
export const kubeconfigWith = (context: string) => `apiVersion: v1
kind: Config
clusters: [{name: c1, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: u1, user: {token: x}}]
contexts: [{name: ${context}, context: {cluster: c1, user: u1}}]
current-context: ${context}
`;
