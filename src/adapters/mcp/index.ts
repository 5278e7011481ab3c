export { StreamableHttpMcpClient, type McpLimits } from './streamable-http';
export { ResponseTooLargeError } from './bounded-fetch';
