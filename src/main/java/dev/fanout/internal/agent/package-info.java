/**
 * ssh-agent support shared by both drivers: naming and checking an agent's Unix-domain socket
 * ({@link dev.fanout.internal.agent.AgentSockets}) and talking to it over the JDK's own Unix-domain sockets (JDK 16+,
 * no native library), each exchange bounded in time ({@link dev.fanout.internal.agent.AgentLink}). The agent
 * protocol itself is each library's: JSch's {@code AgentProxy}, MINA's {@code AbstractAgentProxy}. Internal.
 */
package dev.fanout.internal.agent;
